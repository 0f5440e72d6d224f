-- Derived table: the leads each campaign sourced, by day of creation, of becoming an MQL and of becoming an SQL.
-- No parameters. Grain: one row per (campaign_id, day) with any of the three; leads with no campaign left out.
-- leads: leads created that day; mqls: leads whose mql_at falls on it; sqls: leads whose sql_at falls on it.
-- Sorted by day so a period's filter skips the other row groups.
WITH events AS (
    SELECT campaign_id, CAST(created_at AS DATE) AS day, 1 AS is_lead, 0 AS is_mql, 0 AS is_sql
    FROM leads WHERE campaign_id IS NOT NULL
    UNION ALL
    SELECT campaign_id, CAST(mql_at AS DATE), 0, 1, 0
    FROM leads WHERE campaign_id IS NOT NULL AND mql_at IS NOT NULL
    UNION ALL
    SELECT campaign_id, CAST(sql_at AS DATE), 0, 0, 1
    FROM leads WHERE campaign_id IS NOT NULL AND sql_at IS NOT NULL
)
SELECT campaign_id, day, sum(is_lead) AS leads, sum(is_mql) AS mqls, sum(is_sql) AS sqls
FROM events
GROUP BY ALL
ORDER BY day
