-- Returns a brand metric and a sales series side by side per complete calendar month, raw and linearly detrended.
-- Parameters: $brand_metric, $region (brand_metrics.region, 'all' for the total), $sales_series
-- ('pipeline_created' | 'sqls' | 'won_revenue' | 'inbound_leads'), $start, $end (DATE: from the first month that
-- starts on or after start through the last month whose brand reading is published by end, the month before end's;
-- a reading counts from the 1st of the next month, see brand/latest.sql), $segments, $regions (VARCHAR[] or NULL =
-- all; leads by their own region, deals by the owner rep's region), $lag (months: brand_value is the brand metric at
-- month − lag).
-- The months and both series, raw and detrended, come from formulas.brand_sales_months (queries/sql/formulas.sql,
-- which cross_correlation.sql reads too): months with the brand metric inside the span of lead and deal activity, a
-- sales month with no event 0, each series minus its least-squares line over these months.
-- Grain: one row per month.
WITH detrended AS (
    SELECT *
    FROM formulas.brand_sales_months($brand_metric, $region, $sales_series, $start, $end, $segments, $regions)
)
SELECT s.month,
       b.brand_value,
       s.sales_value,
       b.brand_detrended,
       s.sales_detrended
FROM detrended AS s
LEFT JOIN detrended AS b ON b.idx = s.idx - $lag
ORDER BY s.month
