-- Returns the agreed monthly targets: month, metric, team, value, updated_at, updated_by.
-- Parameters: $start_month, $end_month (DATE, inclusive), $metrics (VARCHAR[] or NULL = all metrics).
-- Grain: one row per (month, metric, team).
SELECT month, metric, team, value, updated_at, updated_by
FROM targets
WHERE month BETWEEN CAST($start_month AS DATE) AND CAST($end_month AS DATE)
  AND ($metrics IS NULL OR list_contains(CAST($metrics AS VARCHAR[]), metric))
ORDER BY month, metric, team
