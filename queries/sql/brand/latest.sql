-- Returns, per brand metric, its latest month published by $as_of and how it moved: against the month before and
-- against the same month a year earlier (changes in the metric's own unit).
-- Published: a month's reading counts from the 1st of the next month (as of 9 November the latest is October's; a
-- November row already in the table is not shown before 1 December), so a result never changes with later imports.
-- Parameters: $as_of (DATE), $region (a region code or 'all'), $metrics (VARCHAR[]).
-- A metric with no month published by $as_of has no row; a missing comparison month gives NULLs.
-- Grain: one row per metric.
WITH published AS (
    SELECT metric, month, value
    FROM brand_metrics
    WHERE region = $region
      AND month < CAST(date_trunc('month', CAST($as_of AS DATE)) AS DATE)
      AND list_contains(CAST($metrics AS VARCHAR[]), metric)
),
latest AS (
    SELECT metric, max(month) AS month
    FROM published
    GROUP BY metric
)
SELECT l.metric,
       l.month,
       now_.value,
       prev.value AS previous_month_value,
       now_.value - prev.value AS mom_change,
       year_ago.value AS year_ago_value,
       now_.value - year_ago.value AS yoy_change
FROM latest AS l
JOIN published AS now_ ON now_.metric = l.metric AND now_.month = l.month
LEFT JOIN published AS prev ON prev.metric = l.metric AND prev.month = CAST(l.month - INTERVAL 1 MONTH AS DATE)
LEFT JOIN published AS year_ago
    ON year_ago.metric = l.metric AND year_ago.month = CAST(l.month - INTERVAL 12 MONTH AS DATE)
ORDER BY l.metric
