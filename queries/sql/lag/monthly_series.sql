-- Returns a brand metric and a sales series side by side per complete calendar month, raw and linearly detrended.
-- Parameters: $brand_metric, $region (brand_metrics.region, 'all' for the total), $sales_series
-- ('pipeline_created' | 'sqls' | 'won_revenue' | 'inbound_leads'), $start, $end (DATE: from the first month that
-- starts on or after start through the last month whose brand reading is published by end, the month before end's;
-- a reading counts from the 1st of the next month, see brand/latest.sql), $segments, $regions (VARCHAR[] or NULL =
-- all; leads by their own region, deals by the owner rep's region), $lag (months: brand_value is the brand metric at
-- month − lag).
-- Months: those with the brand metric, inside the span of lead and deal activity; a sales month with no event
-- is 0. Detrending: each series minus its least-squares line over these months (so a shared upward drift does
-- not pass for a relationship). cross_correlation.sql repeats these CTEs: keep the two in step.
-- Grain: one row per month.
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
)
SELECT s.month,
       b.brand_value,
       s.sales_value,
       b.brand_detrended,
       s.sales_detrended
FROM detrended AS s
LEFT JOIN detrended AS b ON b.idx = s.idx - $lag
ORDER BY s.month
