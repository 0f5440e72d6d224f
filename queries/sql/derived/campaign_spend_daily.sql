-- Derived table: campaign spend and impressions per day and channel. No parameters. Grain: one row per (day, channel)
-- with delivery. Sorted by day so a period's filter skips the other row groups.
SELECT s.day, c.channel, CAST(sum(s.spend) AS DECIMAL(18, 2)) AS spend,
       CAST(sum(s.impressions) AS BIGINT) AS impressions
FROM campaign_spend s
JOIN campaigns c ON c.campaign_id = s.campaign_id
GROUP BY ALL
ORDER BY day
