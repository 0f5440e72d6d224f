-- Returns how each slice of the leads created in [$start, $end] performed, followed to today: leads, won deals
-- from them, conversion (won deals ÷ leads), win rate (won ÷ closed deals), average won amount, average cycle of
-- won deals (close date − deal created, days) and revenue per lead (won revenue ÷ leads = conversion × average won
-- amount). Slices are up to three lead dimensions ($dim1..$dim3 ∈ 'region', 'segment', 'industry', or 'none').
-- Only deals created from these leads count (deals.lead_id); sales-sourced deals have no lead to slice by.
-- Parameters: $start, $end (DATE, inclusive); $dim1, $dim2, $dim3; $regions, $segments (VARCHAR[] or NULL = all).
-- Grain: one row per slice, highest revenue per lead first.
WITH cohort AS (
    SELECT
        l.won_deals, l.lost_deals, l.won_amount, l.won_days, l.has_deal,
        CASE $dim1 WHEN 'region' THEN l.region WHEN 'segment' THEN l.segment
                   WHEN 'industry' THEN coalesce(l.industry, '(unknown)') END AS d1,
        CASE $dim2 WHEN 'region' THEN l.region WHEN 'segment' THEN l.segment
                   WHEN 'industry' THEN coalesce(l.industry, '(unknown)') END AS d2,
        CASE $dim3 WHEN 'region' THEN l.region WHEN 'segment' THEN l.segment
                   WHEN 'industry' THEN coalesce(l.industry, '(unknown)') END AS d3
    FROM derived.lead_facts AS l
    WHERE l.created_at >= $start AND l.created_at < $end + INTERVAL 1 DAY
      AND ($regions IS NULL OR list_contains($regions, l.region))
      AND ($segments IS NULL OR list_contains($segments, l.segment))
),
lead_deals AS (
    SELECT
        c.d1, c.d2, c.d3,
        CAST(sum(c.won_deals) AS BIGINT) AS won_deals,
        CAST(sum(c.lost_deals) AS BIGINT) AS lost_deals,
        sum(c.won_amount) AS won_amount,
        CAST(sum(c.won_days) AS BIGINT) AS won_days
    FROM cohort AS c
    WHERE c.has_deal
    GROUP BY ALL
),
slices AS (
    SELECT d1, d2, d3, count(*) AS leads FROM cohort GROUP BY ALL
)
SELECT
    s.d1, s.d2, s.d3,
    s.leads,
    coalesce(x.won_deals, 0) AS won_deals,
    coalesce(x.won_deals, 0) / s.leads AS conversion,
    x.won_deals / nullif(x.won_deals + x.lost_deals, 0) AS win_rate,
    CAST(x.won_amount / nullif(x.won_deals, 0) AS DOUBLE) AS avg_won_amount,
    x.won_days / nullif(x.won_deals, 0) AS avg_cycle_days,
    CAST(coalesce(x.won_amount, 0) / s.leads AS DOUBLE) AS revenue_per_lead
FROM slices AS s
LEFT JOIN lead_deals AS x ON x.d1 IS NOT DISTINCT FROM s.d1 AND x.d2 IS NOT DISTINCT FROM s.d2
                         AND x.d3 IS NOT DISTINCT FROM s.d3
ORDER BY revenue_per_lead DESC, leads DESC, s.d1, s.d2, s.d3
