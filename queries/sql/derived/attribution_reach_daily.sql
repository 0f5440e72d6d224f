-- Inputs: campaigns, derived.attribution_touch_positions, derived.campaign_deals_daily
-- Summary table: pipeline each campaign channel sourced and influenced, per day of deal creation. No parameters.
-- Grain: one row per (day, channel) with any; channel 'Unassigned' for campaigns without one, day NULL for deals
-- without a created date (in no period). Sourced: the deal's lead came from a campaign of the channel. Influenced:
-- a campaign of the channel touched the lead at or before the deal's created_at (a deal counts once per channel,
-- and may count for several channels). Amounts are sums of deal amounts (any stage) over the deals that have one;
-- deals counts every deal, *_without_amount those without one. Sorted by day so a period's filter skips the other
-- row groups.
WITH sourced AS (
    SELECT day, coalesce(c.channel, 'Unassigned') AS channel, sum(amount) AS pipeline,
           CAST(sum(deals) AS BIGINT) AS deals, CAST(sum(deals_without_amount) AS BIGINT) AS without_amount
    FROM derived.campaign_deals_daily
    JOIN campaigns c ON c.campaign_id = campaign_deals_daily.campaign_id
    WHERE event = 'created'
    GROUP BY ALL
),
influenced_pairs AS (
    SELECT DISTINCT coalesce(c.channel, 'Unassigned') AS channel, deal_id, created_day, amount
    FROM derived.attribution_touch_positions
    JOIN campaigns c ON c.campaign_id = attribution_touch_positions.campaign_id
),
influenced AS (
    SELECT created_day AS day, channel, sum(amount) AS pipeline, count(*) AS deals,
           count(*) - count(amount) AS without_amount
    FROM influenced_pairs
    GROUP BY ALL
)
SELECT coalesce(s.day, i.day) AS day, coalesce(s.channel, i.channel) AS channel,
       CAST(coalesce(s.pipeline, 0) AS DECIMAL(18, 2)) AS sourced_pipeline, coalesce(s.deals, 0) AS sourced_deals,
       coalesce(s.without_amount, 0) AS sourced_without_amount,
       CAST(coalesce(i.pipeline, 0) AS DECIMAL(18, 2)) AS influenced_pipeline, coalesce(i.deals, 0) AS influenced_deals,
       coalesce(i.without_amount, 0) AS influenced_without_amount
FROM sourced s
FULL JOIN influenced i ON i.day = s.day AND i.channel = s.channel
ORDER BY day
