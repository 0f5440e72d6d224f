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
-- One pass over the cohort for all five gaps (a lead that never reached a stage has no gap for it), then one row
-- per step.
spans AS (
    SELECT date_diff('second', created_at, mql_at) / 86400.0 AS lead_mql,
           date_diff('second', mql_at, sal_at) / 86400.0 AS mql_sal,
           date_diff('second', sal_at, sql_at) / 86400.0 AS sal_sql,
           date_diff('second', sql_at, first_deal_at) / 86400.0 AS sql_opportunity,
           CAST(date_diff('day', CAST(first_deal_at AS DATE), first_won_on) AS DOUBLE) AS opportunity_won
    FROM cohort
),
medians AS (
    SELECT count(*) AS cohort_leads,
           [count(lead_mql), count(mql_sal), count(sal_sql), count(sql_opportunity), count(opportunity_won)] AS leads,
           [quantile_cont(lead_mql, 0.5), quantile_cont(mql_sal, 0.5), quantile_cont(sal_sql, 0.5),
            quantile_cont(sql_opportunity, 0.5), quantile_cont(opportunity_won, 0.5)] AS median_days
    FROM spans
)
SELECT s.from_stage, s.to_stage, m.leads[s.step] AS leads, m.median_days[s.step] AS median_days
FROM (VALUES (1, 'lead', 'mql'), (2, 'mql', 'sal'), (3, 'sal', 'sql'), (4, 'sql', 'opportunity'),
             (5, 'opportunity', 'won')) AS s (step, from_stage, to_stage)
CROSS JOIN medians AS m
WHERE m.cohort_leads > 0
ORDER BY s.step
