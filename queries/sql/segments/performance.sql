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
sliced AS (
    -- One pass: a slice's deal figures sum its leads with a deal only (NULL when none has one, as no deal to
    -- measure a win rate or an average on).
    SELECT
        d1, d2, d3,
        count(*) AS leads,
        CAST(sum(won_deals) FILTER (WHERE has_deal) AS BIGINT) AS won_deals,
        CAST(sum(lost_deals) FILTER (WHERE has_deal) AS BIGINT) AS lost_deals,
        sum(won_amount) FILTER (WHERE has_deal) AS won_amount,
        CAST(sum(won_days) FILTER (WHERE has_deal) AS BIGINT) AS won_days
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
