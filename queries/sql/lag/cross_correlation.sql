-- Returns Pearson r between a brand metric at month t − lag and a sales series at month t, for lag 0 … $max_lag,
-- both series linearly detrended first (see monthly_series.sql, whose CTEs this repeats: keep the two in step).
-- Parameters: $brand_metric, $region, $sales_series, $start, $end, $segments, $regions as in monthly_series.sql;
-- $max_lag (months). r is NULL when fewer than 6 month pairs overlap. Grain: one row per lag_months.
WITH activity AS (
    SELECT min(first_month) AS first_month, max(last_month) AS last_month
    FROM (
        SELECT CAST(date_trunc('month', min(created_at)) AS DATE) AS first_month,
               CAST(date_trunc('month', max(created_at)) AS DATE) AS last_month
        FROM leads
        UNION ALL
        SELECT CAST(date_trunc('month', min(created_at)) AS DATE), CAST(date_trunc('month', max(created_at)) AS DATE)
        FROM deals
    )
),
brand AS (
    SELECT b.month, b.value
    FROM brand_metrics AS b
    CROSS JOIN activity AS a
    WHERE b.metric = $brand_metric
      AND b.region = $region
      AND b.month >= CAST($start AS DATE)
      AND b.month < CAST(date_trunc('month', CAST($end AS DATE)) AS DATE)
      AND b.month BETWEEN a.first_month AND a.last_month
),
deal_scope AS (
    SELECT d.*
    FROM deals AS d
    JOIN reps AS r ON r.rep_id = d.owner_rep_id
    WHERE ($segments IS NULL OR list_contains(CAST($segments AS VARCHAR[]), d.segment))
      AND ($regions IS NULL OR list_contains(CAST($regions AS VARCHAR[]), r.region))
),
lead_scope AS (
    SELECT *
    FROM leads
    WHERE ($segments IS NULL OR list_contains(CAST($segments AS VARCHAR[]), segment))
      AND ($regions IS NULL OR list_contains(CAST($regions AS VARCHAR[]), region))
),
-- Months as integer keys (year × 12 + month − 1), turned into dates after grouping: date_trunc on every row
-- cost ~3× more at a million rows.
sales_events AS (
    SELECT 'pipeline_created' AS series, year(created_at) * 12 + month(created_at) - 1 AS month_key,
           amount AS value
    FROM deal_scope
    UNION ALL
    SELECT 'won_revenue', year(close_date) * 12 + month(close_date) - 1, amount
    FROM deal_scope WHERE stage = 'won'
    UNION ALL
    SELECT 'sqls', year(sql_at) * 12 + month(sql_at) - 1, 1
    FROM lead_scope WHERE sql_at IS NOT NULL
    UNION ALL
    SELECT 'inbound_leads', year(created_at) * 12 + month(created_at) - 1, 1
    FROM lead_scope WHERE campaign_id IS NULL
),
sales AS (
    SELECT make_date(CAST(month_key // 12 AS INTEGER), CAST(month_key % 12 + 1 AS INTEGER), 1) AS month,
           CAST(sum(value) AS DOUBLE) AS value
    FROM sales_events
    WHERE series = $sales_series
    GROUP BY month_key
),
paired AS (
    SELECT brand.month,
           date_diff('month', min(brand.month) OVER (), brand.month) AS idx,
           brand.value AS brand_value,
           coalesce(sales.value, 0) AS sales_value
    FROM brand
    LEFT JOIN sales USING (month)
),
detrended AS (
    SELECT month, idx, brand_value, sales_value,
           brand_value - (regr_intercept(brand_value, idx) OVER () + regr_slope(brand_value, idx) OVER () * idx)
               AS brand_detrended,
           sales_value - (regr_intercept(sales_value, idx) OVER () + regr_slope(sales_value, idx) OVER () * idx)
               AS sales_detrended
    FROM paired
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
