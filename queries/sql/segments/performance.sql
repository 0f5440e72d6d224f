-- Returns how each slice of the leads created in [$start, $end] performed, followed to today: leads, won deals
-- from them, conversion (won deals ÷ leads), win rate (won ÷ closed deals), average won amount, average cycle of
-- won deals (close date − deal created, days) and revenue per lead (won revenue ÷ leads = conversion × average won
-- amount). Slices are up to three lead dimensions ($dim1..$dim3 ∈ 'region', 'segment', 'industry', or 'none'); a
-- lead without a value is in the slice 'Unassigned', which the filters match too.
-- Only deals created from these leads count (deals.lead_id); sales-sourced deals have no lead to slice by.
-- Left out, and counted: won_without_created_date = the slice's won deals with no created date, left out of
-- avg_cycle_days (NULL when none has one); leads_without_created_date = leads in the filters' scope (any slice) with
-- no created date, in no period's cohort: the same number on every row.
-- Parameters: $start, $end (DATE, inclusive); $dim1, $dim2, $dim3; $regions, $segments (VARCHAR[] or NULL = all).
-- Grain: one row per slice, highest revenue per lead first.
WITH cohort AS (
    -- derived.segment_daily: the leads per created day and slice, so the period is a range of days.
    SELECT
        s.leads, s.won_deals, s.lost_deals, s.won_amount, s.won_days, s.won_cycle_deals,
        CASE $dim1 WHEN 'region' THEN s.region WHEN 'segment' THEN s.segment WHEN 'industry' THEN s.industry END AS d1,
        CASE $dim2 WHEN 'region' THEN s.region WHEN 'segment' THEN s.segment WHEN 'industry' THEN s.industry END AS d2,
        CASE $dim3 WHEN 'region' THEN s.region WHEN 'segment' THEN s.segment WHEN 'industry' THEN s.industry END AS d3
    FROM derived.segment_daily AS s
    WHERE s.day BETWEEN $start AND $end
      AND ($regions IS NULL OR list_contains($regions, s.region))
      AND ($segments IS NULL OR list_contains($segments, s.segment))
),
undated AS (
    SELECT CAST(coalesce(sum(s.leads), 0) AS BIGINT) AS leads
    FROM derived.segment_daily AS s
    WHERE s.day IS NULL
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
        CAST(sum(won_days) AS BIGINT) AS won_days,
        CAST(sum(won_cycle_deals) AS BIGINT) AS won_cycle_deals
    FROM cohort
    GROUP BY ALL
)
SELECT
    d1, d2, d3,
    leads,
    coalesce(won_deals, 0) AS won_deals,
    coalesce(won_deals, 0) / leads AS conversion,
    formulas.win_rate(won_deals, lost_deals) AS win_rate,
    CAST(won_amount / nullif(won_deals, 0) AS DOUBLE) AS avg_won_amount,
    won_days / nullif(won_cycle_deals, 0) AS avg_cycle_days,
    CAST(coalesce(won_amount, 0) / leads AS DOUBLE) AS revenue_per_lead,
    coalesce(won_deals - won_cycle_deals, 0) AS won_without_created_date,
    (SELECT leads FROM undated) AS leads_without_created_date
FROM sliced
ORDER BY revenue_per_lead DESC, leads DESC, d1, d2, d3
