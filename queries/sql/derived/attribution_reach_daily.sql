-- Derived table: pipeline each campaign channel sourced and influenced, per day of deal creation. No parameters.
-- Grain: one row per (day, channel) with any. Sourced: the deal's lead came from a campaign of the channel.
-- Influenced: a campaign of the channel touched the lead at or before the deal's created_at (a deal counts once
-- per channel, and may count for several channels). Amounts are sums of deal amounts (any stage), deals counts.
-- Sorted by day so a period's filter skips the other row groups.
WITH sourced AS (
    SELECT day, c.channel, sum(amount) AS pipeline, CAST(sum(deals) AS BIGINT) AS deals
    FROM derived.campaign_deals_daily
    JOIN campaigns c ON c.campaign_id = campaign_deals_daily.campaign_id
    WHERE event = 'created'
    GROUP BY ALL
),
influenced_pairs AS (
    SELECT DISTINCT c.channel, deal_id, created_day, amount
    FROM derived.attribution_touch_positions
    JOIN campaigns c ON c.campaign_id = attribution_touch_positions.campaign_id
),
influenced AS (
    SELECT created_day AS day, channel, sum(amount) AS pipeline, count(*) AS deals
    FROM influenced_pairs
    GROUP BY ALL
)
SELECT coalesce(s.day, i.day) AS day, coalesce(s.channel, i.channel) AS channel,
       CAST(coalesce(s.pipeline, 0) AS DECIMAL(18, 2)) AS sourced_pipeline, coalesce(s.deals, 0) AS sourced_deals,
       CAST(coalesce(i.pipeline, 0) AS DECIMAL(18, 2)) AS influenced_pipeline, coalesce(i.deals, 0) AS influenced_deals
FROM sourced s
FULL JOIN influenced i ON i.day = s.day AND i.channel = s.channel
ORDER BY day
