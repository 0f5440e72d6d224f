-- Inputs: derived.lead_facts
-- Summary table: the leads of each created day per slice (region, segment, industry), with what the segments page
-- sums over a period, so a period's slices are one scan of a few hundred thousand rows instead of every lead.
-- No parameters. Grain: one row per (day, region, segment, industry); a value a lead lacks is 'Unassigned'
-- (derived.lead_facts). day NULL holds the leads without a created date: in no period's cohort, counted apart.
-- leads: the leads created that day. won_deals, lost_deals, won_amount, won_days, won_cycle_deals
-- (derived.lead_facts): summed over the leads with a deal only, NULL when none has one (segments/performance.sql
-- sums them on). Sorted by day, so a period's filter skips the other row groups.
SELECT
    CAST(created_at AS DATE) AS day,
    region,
    segment,
    industry,
    count(*) AS leads,
    CAST(sum(won_deals) FILTER (WHERE has_deal) AS BIGINT) AS won_deals,
    CAST(sum(lost_deals) FILTER (WHERE has_deal) AS BIGINT) AS lost_deals,
    CAST(sum(won_amount) FILTER (WHERE has_deal) AS DECIMAL(18, 2)) AS won_amount,
    CAST(sum(won_days) FILTER (WHERE has_deal) AS BIGINT) AS won_days,
    CAST(sum(won_cycle_deals) FILTER (WHERE has_deal) AS BIGINT) AS won_cycle_deals
FROM derived.lead_facts
GROUP BY ALL
ORDER BY day, region, segment, industry
