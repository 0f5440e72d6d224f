-- Returns how each slice of the leads created in [$start, $end] performed, followed to today: leads, won deals
-- from them, conversion (won deals ÷ leads), win rate (won ÷ closed deals), average won amount, average cycle of
-- won deals (close date − deal created, days) and revenue per lead (won revenue ÷ leads = conversion × average won
-- amount). Slices are up to three lead dimensions ($dim1..$dim3 ∈ 'region', 'segment', 'industry', or 'none').
-- Only deals created from these leads count (deals.lead_id); sales-sourced deals have no lead to slice by.
-- Parameters: $start, $end (DATE, inclusive); $dim1, $dim2, $dim3; $regions, $segments (VARCHAR[] or NULL = all).
-- Grain: one row per slice, highest revenue per lead first.
WITH cohort AS (
    -- derived.segment_daily: the leads per created day and slice, so the period is a range of days.
    SELECT
        s.leads, s.won_deals, s.lost_deals, s.won_amount, s.won_days,
        CASE $dim1 WHEN 'region' THEN s.region WHEN 'segment' THEN s.segment WHEN 'industry' THEN s.industry END AS d1,
        CASE $dim2 WHEN 'region' THEN s.region WHEN 'segment' THEN s.segment WHEN 'industry' THEN s.industry END AS d2,
        CASE $dim3 WHEN 'region' THEN s.region WHEN 'segment' THEN s.segment WHEN 'industry' THEN s.industry END AS d3
    FROM derived.segment_daily AS s
    WHERE s.day BETWEEN $start AND $end
      AND ($regions IS NULL OR list_contains($regions, s.region))
      AND ($segments IS NULL OR list_contains($segments, s.segment))
),
sliced AS (
    -- A slice's deal figures sum its leads with a deal only (NULL when none has one, as no deal to measure a win
    -- rate or an average on): segment_daily holds them so already.
    SELECT
        d1, d2, d3,
        CAST(sum(leads) AS BIGINT) AS leads,
        CAST(sum(won_deals) AS BIGINT) AS won_deals,
        CAST(sum(lost_deals) AS BIGINT) AS lost_deals,
        sum(won_amount) AS won_amount,
        CAST(sum(won_days) AS BIGINT) AS won_days
    FROM cohort
    GROUP BY ALL
)
SELECT
    d1, d2, d3,
    leads,
    coalesce(won_deals, 0) AS won_deals,
    coalesce(won_deals, 0) / leads AS conversion,
    won_deals / nullif(won_deals + lost_deals, 0) AS win_rate,
    CAST(won_amount / nullif(won_deals, 0) AS DOUBLE) AS avg_won_amount,
    won_days / nullif(won_deals, 0) AS avg_cycle_days,
    CAST(coalesce(won_amount, 0) / leads AS DOUBLE) AS revenue_per_lead
FROM sliced
ORDER BY revenue_per_lead DESC, leads DESC, d1, d2, d3
