-- Returns the sales side of the handoff for the MQLs of [$start, $end] (mql_at in the period), by the owner rep, the
-- owner's team, the lead's region or all together ($by): MQLs, how many were contacted, how many within $sla_hours, the
-- median and p90 response hours, the share that reached SQL (or a later stage) and the mean contact attempts. Response
-- time = first_contact_at − mql_at; a contact before the MQL counts as 0 h (within the SLA). avg_contact_attempts is
-- the mean over the MQLs whose attempts were recorded; mqls_without_contact_attempts counts the others (left out).
-- A lead without a region, or whose owner has no team (or who has no owner), is in the group 'Unassigned', which the
-- filters match too; by 'rep', the MQLs without an owner are one group with rep_id NULL.
-- Parameters: $start, $end (DATE, inclusive); $sla_hours (DOUBLE); $by ('rep', 'team', 'region', 'all');
-- $regions, $segments, $teams (VARCHAR[] or NULL = all). Grain: one row per group, best SLA share first.
WITH mqls AS (
    SELECT
        CASE $by WHEN 'rep' THEN l.owner_rep_id WHEN 'team' THEN l.owner_team WHEN 'region' THEN l.region
                 ELSE 'all' END AS grp,
        l.response_seconds / 3600.0 AS response_hours,
        l.response_seconds,
        l.contact_attempts,
        l.reached_sql
    FROM derived.mql_facts AS l
    WHERE l.mql_at >= $start AND l.mql_at < $end + INTERVAL 1 DAY
      AND ($regions IS NULL OR list_contains($regions, l.region))
      AND ($segments IS NULL OR list_contains($segments, l.segment))
      AND ($teams IS NULL OR list_contains($teams, l.owner_team))
),
per_group AS (
    SELECT
        grp,
        count(*) AS mqls,
        count(response_hours) AS contacted,
        count(*) FILTER (WHERE response_hours <= $sla_hours) AS within_sla,
        count(*) FILTER (WHERE response_hours <= $sla_hours) / count(*) AS pct_within_sla,
        -- Both quantiles from one list aggregate: one copy of the values per group instead of two. Over the whole
        -- seconds, not the hours: DuckDB's exact quantile of a BIGINT is two to three times faster than of DOUBLEs.
        quantile_cont(response_seconds, [0.5, 0.9]) AS response_quantiles,
        formulas.sql_rate(count(*) FILTER (WHERE reached_sql), count(*)) AS sql_rate,
        avg(contact_attempts) AS avg_contact_attempts,
        count(*) - count(contact_attempts) AS mqls_without_contact_attempts
    FROM mqls
    GROUP BY grp
)
SELECT grp, mqls, contacted, within_sla, pct_within_sla,
       response_quantiles[1] / 3600 AS median_response_hours, response_quantiles[2] / 3600 AS p90_response_hours,
       sql_rate, avg_contact_attempts, mqls_without_contact_attempts
FROM per_group
ORDER BY pct_within_sla DESC, median_response_hours ASC NULLS LAST, grp NULLS LAST
