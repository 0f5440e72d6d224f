-- Returns marketing's side of the handoff by month for [$start, $end]: MQLs delivered (mql_at in the period), the
-- monthly MQL target (targets: metric 'mqls', team 'marketing'; company-wide, so NULL when $regions or $segments
-- narrow the MQLs), the share of target, and how many MQLs sales accepted (reached SAL or a later stage) or rejected.
-- A month the period covers in part (a running month, or a period cut mid-month) is compared with its target pro rata:
-- days_counted = the month's days inside the period, target_to_date = target × days_counted ÷ days_in_month (the whole
-- target when the period covers the month).
-- Parameters: $start, $end (DATE, inclusive); $regions, $segments (VARCHAR[] or NULL = all).
-- Grain: one row per calendar month that overlaps the period, oldest first.
WITH months AS (
    SELECT CAST(m AS DATE) AS month,
           date_diff('day', CAST(m AS DATE), CAST(m + INTERVAL 1 MONTH AS DATE)) AS days_in_month,
           date_diff('day', greatest(CAST(m AS DATE), CAST($start AS DATE)),
                     least(CAST(m + INTERVAL 1 MONTH AS DATE), CAST($end AS DATE) + 1)) AS days_counted
    FROM range(date_trunc('month', CAST($start AS DATE)), CAST($end AS DATE) + INTERVAL 1 DAY, INTERVAL 1 MONTH)
        AS t (m)
),
per_month AS (
    -- derived.mql_daily: the MQLs of each day per slice and outcome.
    SELECT CAST(date_trunc('month', d.day) AS DATE) AS month,
           CAST(sum(d.mqls) AS BIGINT) AS mqls,
           CAST(coalesce(sum(d.mqls) FILTER (WHERE d.accepted), 0) AS BIGINT) AS accepted,
           CAST(coalesce(sum(d.mqls) FILTER (WHERE d.rejected), 0) AS BIGINT) AS rejected
    FROM derived.mql_daily AS d
    WHERE d.day BETWEEN $start AND $end
      AND ($regions IS NULL OR list_contains($regions, d.region))
      AND ($segments IS NULL OR list_contains($segments, d.segment))
    GROUP BY 1
)
SELECT
    m.month,
    coalesce(p.mqls, 0) AS mqls,
    CASE WHEN $regions IS NULL AND $segments IS NULL THEN t.value END AS target_mqls,
    coalesce(p.mqls, 0) / nullif(CASE WHEN $regions IS NULL AND $segments IS NULL THEN t.value END, 0)
        AS pct_of_target,
    coalesce(p.accepted, 0) AS accepted,
    coalesce(p.rejected, 0) AS rejected,
    formulas.acceptance_rate(p.accepted, p.mqls) AS pct_accepted,
    m.days_counted,
    m.days_in_month,
    CASE WHEN $regions IS NULL AND $segments IS NULL THEN t.value END * m.days_counted / m.days_in_month
        AS target_to_date
FROM months AS m
LEFT JOIN per_month AS p ON p.month = m.month
LEFT JOIN targets AS t ON t.month = m.month AND t.metric = 'mqls' AND t.team = 'marketing'
ORDER BY m.month
