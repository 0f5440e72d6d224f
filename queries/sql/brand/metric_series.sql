-- Returns one brand metric per month: its value, the 3-month rolling average and the change against the same
-- month a year earlier (in the metric's own unit: percentage points for % metrics).
-- Parameters: $metric, $region (a region code or 'all'), $start, $end (DATE). Months: from start's month through
-- the last month published by $end (a month's reading counts from the 1st of the next month, so the month of $end
-- itself is never shown; see latest.sql). Windows look back before $start, so the first months shown are complete.
-- rolling_3m is NULL until three months are available in the window; yoy_change NULL without a year-ago month.
-- Grain: one row per month.
WITH series AS (
    SELECT month, value
    FROM brand_metrics
    WHERE metric = $metric AND region = $region
      AND month < CAST(date_trunc('month', CAST($end AS DATE)) AS DATE)
),
windowed AS (
    SELECT s.month,
           s.value,
           CASE WHEN count(*) OVER three_months = 3 THEN avg(s.value) OVER three_months END AS rolling_3m,
           s.value - y.value AS yoy_change
    FROM series AS s
    LEFT JOIN series AS y ON y.month = CAST(s.month - INTERVAL 12 MONTH AS DATE)
    WINDOW three_months AS (ORDER BY s.month RANGE BETWEEN INTERVAL 2 MONTH PRECEDING AND CURRENT ROW)
)
SELECT month, value, rolling_3m, yoy_change
FROM windowed
WHERE month >= CAST(date_trunc('month', CAST($start AS DATE)) AS DATE)
ORDER BY month
