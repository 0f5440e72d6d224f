-- Inputs: derived.lead_facts
-- Summary table: the funnel's stage events per day and lead scope, so the joint plan's trailing-window rates are sums
-- over a range of days instead of a scan of every lead (derived.lead_facts). No parameters.
-- Grain: one row per (day, owner_team, region, unassigned) with any event; unassigned = the lead has no owner rep;
-- owner_team and region are 'Unassigned' where unknown (derived.lead_facts: also the team of a lead without an owner,
-- or whose owner is missing from reps). created: leads created that day (day NULL: the leads without a created
-- date); mqls / sqls: leads whose mql_at / sql_at falls on it; lead_to_mql_seconds and lead_to_mql_n: Σ (mql_at −
-- created_at) and the count of those MQLs whose lead has a created date; mql_to_sql_seconds and mql_to_sql_n:
-- Σ (sql_at − mql_at) and the count of those SQLs that have an mql_at.
-- Sorted by day, so a window's filter skips the other row groups.
WITH events AS (
    SELECT CAST(created_at AS DATE) AS day, owner_team, region, owner_rep_id IS NULL AS unassigned,
           1 AS created, 0 AS mqls, 0 AS sqls, CAST(0 AS BIGINT) AS lead_to_mql_seconds, 0 AS lead_to_mql_n,
           CAST(0 AS BIGINT) AS mql_to_sql_seconds, 0 AS mql_to_sql_n
    FROM derived.lead_facts
    UNION ALL
    SELECT CAST(mql_at AS DATE), owner_team, region, owner_rep_id IS NULL,
           0, 1, 0, coalesce(date_diff('second', created_at, mql_at), 0), CAST(created_at IS NOT NULL AS INTEGER),
           0, 0
    FROM derived.lead_facts
    WHERE mql_at IS NOT NULL
    UNION ALL
    SELECT CAST(sql_at AS DATE), owner_team, region, owner_rep_id IS NULL,
           0, 0, 1, 0, 0, coalesce(date_diff('second', mql_at, sql_at), 0), CAST(mql_at IS NOT NULL AS INTEGER)
    FROM derived.lead_facts
    WHERE sql_at IS NOT NULL
)
SELECT day, owner_team, region, unassigned,
       CAST(sum(created) AS BIGINT) AS created,
       CAST(sum(mqls) AS BIGINT) AS mqls,
       CAST(sum(sqls) AS BIGINT) AS sqls,
       CAST(sum(lead_to_mql_seconds) AS BIGINT) AS lead_to_mql_seconds,
       CAST(sum(lead_to_mql_n) AS BIGINT) AS lead_to_mql_n,
       CAST(sum(mql_to_sql_seconds) AS BIGINT) AS mql_to_sql_seconds,
       CAST(sum(mql_to_sql_n) AS BIGINT) AS mql_to_sql_n
FROM events
GROUP BY ALL
ORDER BY day, owner_team, region, unassigned
