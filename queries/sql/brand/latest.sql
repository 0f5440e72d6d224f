-- Returns, per brand metric, its latest month on or before $as_of and how it moved: against the month before
-- and against the same month a year earlier (changes in the metric's own unit).
-- Parameters: $as_of (DATE), $region (a region code or 'all'), $metrics (VARCHAR[]).
-- A metric with no month on or before $as_of has no row. Grain: one row per metric.
WITH latest AS (
    SELECT metric, max(month) AS month
    FROM brand_metrics
    WHERE region = $region AND month <= CAST($as_of AS DATE) AND list_contains(CAST($metrics AS VARCHAR[]), metric)
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
JOIN brand_metrics AS now_ ON now_.metric = l.metric AND now_.month = l.month AND now_.region = $region
LEFT JOIN brand_metrics AS prev
    ON prev.metric = l.metric AND prev.region = $region AND prev.month = CAST(l.month - INTERVAL 1 MONTH AS DATE)
LEFT JOIN brand_metrics AS year_ago
    ON year_ago.metric = l.metric AND year_ago.region = $region
   AND year_ago.month = CAST(l.month - INTERVAL 12 MONTH AS DATE)
ORDER BY l.metric
