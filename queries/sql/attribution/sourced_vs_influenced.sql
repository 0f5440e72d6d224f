-- Sourced beside influenced pipeline per campaign channel (queries.attribution.sourced_vs_influenced).
-- Parameters: $start, $end (deals created in the period, inclusive; any stage). Grain: one row per channel
-- that has a campaign. Sourced: the deal's lead came from a campaign of the channel. Influenced: the lead was
-- touched by a campaign of the channel at or before the deal's created_at (a deal counts once per channel).
-- Sums the daily rollup derived.attribution_reach_daily (a deal is created on one day, so days add up).
WITH reach AS (
    SELECT channel, sum(sourced_pipeline) AS sourced_pipeline, sum(sourced_deals) AS sourced_deals,
           sum(influenced_pipeline) AS influenced_pipeline, sum(influenced_deals) AS influenced_deals
    FROM derived.attribution_reach_daily
    WHERE day BETWEEN $start AND $end
    GROUP BY channel
)
SELECT ch.channel,
       CAST(coalesce(r.sourced_pipeline, 0) AS DOUBLE) AS sourced_pipeline,
       CAST(coalesce(r.sourced_deals, 0) AS BIGINT) AS sourced_deals,
       CAST(coalesce(r.influenced_pipeline, 0) AS DOUBLE) AS influenced_pipeline,
       CAST(coalesce(r.influenced_deals, 0) AS BIGINT) AS influenced_deals
FROM (SELECT DISTINCT channel FROM campaigns) ch
LEFT JOIN reach r ON r.channel = ch.channel
ORDER BY ch.channel;
