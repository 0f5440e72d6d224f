-- Inputs: campaign_spend, campaigns
-- Summary table: campaign spend and impressions per day and channel. No parameters. Grain: one row per (day, channel)
-- with delivery; channel 'Unassigned' for campaigns without one. impressions: summed over the campaign days that
-- report them (0 when none does); campaign_days: the campaign days with delivery; days_without_impressions: those
-- that report no impressions (left out of it).
-- Sorted by day so a period's filter skips the other row groups.
SELECT s.day, coalesce(c.channel, 'Unassigned') AS channel, CAST(sum(s.spend) AS DECIMAL(18, 2)) AS spend,
       CAST(coalesce(sum(s.impressions), 0) AS BIGINT) AS impressions,
       count(*) AS campaign_days, count(*) - count(s.impressions) AS days_without_impressions
FROM campaign_spend s
JOIN campaigns c ON c.campaign_id = s.campaign_id
GROUP BY ALL
ORDER BY day
