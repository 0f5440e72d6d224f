-- Returns the median days between consecutive funnel stages for the leads created in [$start, $end]: lead → MQL,
-- MQL → SAL, SAL → SQL, SQL → opportunity (first deal created) and opportunity → won (first won deal's close date),
-- each over the leads that recorded both ends. cohort_leads: the leads created in the period; leads_without_created_date:
-- the leads in the filters' scope with no created date, in no period's cohort (both the same number on every row).
-- Parameters: $start, $end (DATE, inclusive); $regions, $segments (VARCHAR[] or NULL = all; 'Unassigned' matches a
-- lead without that value). Grain: one row per transition, in funnel order.
WITH cohort AS (
    -- derived.lead_facts stores each lead's five gaps (NULL when it never reached a stage): four in seconds, the
    -- last in days, integers so that the medians are quick.
    SELECT l.lead_to_mql_seconds AS lead_mql, l.mql_to_sal_seconds AS mql_sal, l.sal_to_sql_seconds AS sal_sql,
           l.sql_to_opportunity_seconds AS sql_opportunity, l.opportunity_to_won_days AS opportunity_won
    FROM derived.lead_facts AS l
    WHERE l.created_at >= $start AND l.created_at < $end + INTERVAL 1 DAY
      AND ($regions IS NULL OR list_contains($regions, l.region))
      AND ($segments IS NULL OR list_contains($segments, l.segment))
),
undated AS (
    SELECT count(*) AS leads
    FROM derived.lead_facts AS l
    WHERE l.created_at IS NULL
      AND ($regions IS NULL OR list_contains($regions, l.region))
      AND ($segments IS NULL OR list_contains($segments, l.segment))
),
medians AS (
    SELECT count(*) AS cohort_leads,
           [count(lead_mql), count(mql_sal), count(sal_sql), count(sql_opportunity), count(opportunity_won)] AS leads,
           [quantile_cont(lead_mql, 0.5) / 86400, quantile_cont(mql_sal, 0.5) / 86400,
            quantile_cont(sal_sql, 0.5) / 86400, quantile_cont(sql_opportunity, 0.5) / 86400,
            quantile_cont(opportunity_won, 0.5)] AS median_days
    FROM cohort
)
SELECT s.from_stage, s.to_stage, m.leads[s.step] AS leads, m.median_days[s.step] AS median_days,
       m.cohort_leads, (SELECT leads FROM undated) AS leads_without_created_date
FROM (VALUES (1, 'lead', 'mql'), (2, 'mql', 'sal'), (3, 'sal', 'sql'), (4, 'sql', 'opportunity'),
             (5, 'opportunity', 'won')) AS s (step, from_stage, to_stage)
CROSS JOIN medians AS m
WHERE m.cohort_leads > 0
ORDER BY s.step
