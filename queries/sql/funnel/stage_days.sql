-- Returns the median days between consecutive funnel stages for the leads created in [$start, $end]: lead → MQL,
-- MQL → SAL, SAL → SQL, SQL → opportunity (first deal created) and opportunity → won (first won deal's close date),
-- each over the leads that recorded both ends.
-- Parameters: $start, $end (DATE, inclusive); $regions, $segments (VARCHAR[] or NULL = all).
-- Grain: one row per transition, in funnel order.
WITH cohort AS (
    SELECT l.created_at, l.mql_at, l.sal_at, l.sql_at, l.first_deal_at, l.first_won_on
    FROM derived.lead_facts AS l
    WHERE l.created_at >= $start AND l.created_at < $end + INTERVAL 1 DAY
      AND ($regions IS NULL OR list_contains($regions, l.region))
      AND ($segments IS NULL OR list_contains($segments, l.segment))
),
gaps AS (
    SELECT 1 AS step, 'lead' AS from_stage, 'mql' AS to_stage,
           date_diff('second', created_at, mql_at) / 86400.0 AS days FROM cohort
    UNION ALL SELECT 2, 'mql', 'sal', date_diff('second', mql_at, sal_at) / 86400.0 FROM cohort
    UNION ALL SELECT 3, 'sal', 'sql', date_diff('second', sal_at, sql_at) / 86400.0 FROM cohort
    UNION ALL SELECT 4, 'sql', 'opportunity', date_diff('second', sql_at, first_deal_at) / 86400.0 FROM cohort
    UNION ALL SELECT 5, 'opportunity', 'won',
              date_diff('day', CAST(first_deal_at AS DATE), first_won_on) FROM cohort
)
SELECT from_stage, to_stage, count(days) AS leads, quantile_cont(days, 0.5) AS median_days
FROM gaps
GROUP BY step, from_stage, to_stage
ORDER BY step
