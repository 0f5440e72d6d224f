-- Returns Pearson r between a brand metric at month t − lag and a sales series at month t, for lag 0 … $max_lag,
-- both series linearly detrended first (formulas.brand_sales_months, as monthly_series.sql shows them).
-- Parameters: $brand_metric, $region, $sales_series, $start, $end, $segments, $regions as in monthly_series.sql;
-- $max_lag (months). r is NULL when fewer than 6 month pairs overlap. Grain: one row per lag_months.
WITH detrended AS (
    SELECT *
    FROM formulas.brand_sales_months($brand_metric, $region, $sales_series, $start, $end, $segments, $regions)
),
lags AS (
    SELECT CAST(lag AS INTEGER) AS lag_months FROM range(0, $max_lag + 1) AS t(lag)
),
pairs AS (
    SELECT l.lag_months, b.brand_detrended, s.sales_detrended
    FROM lags AS l
    CROSS JOIN detrended AS s
    JOIN detrended AS b ON b.idx = s.idx - l.lag_months
)
SELECT l.lag_months,
       CASE WHEN count(p.lag_months) >= 6 THEN corr(p.brand_detrended, p.sales_detrended) END AS r,
       count(p.lag_months) AS n_months
FROM lags AS l
LEFT JOIN pairs AS p USING (lag_months)
GROUP BY l.lag_months
ORDER BY l.lag_months
