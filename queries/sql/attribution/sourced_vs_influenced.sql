-- Sourced beside influenced pipeline per campaign channel (queries.attribution.sourced_vs_influenced).
-- Parameters: $start, $end (deals created in the period, inclusive; any stage). Grain: one row per channel
-- that has a campaign ('Unassigned': campaigns without one). Sourced: the deal's lead came from a campaign of the
-- channel. Influenced: the lead was touched by a campaign of the channel at or before the deal's created_at (a deal
-- counts once per channel). Pipeline sums the deals with an amount; *_deals counts every deal, and
-- sourced_without_amount, influenced_without_amount those without one (left out of the pipeline).
-- Sums the daily summary table derived.attribution_reach_daily (a deal is created on one day, so days add up).
WITH reach AS (
    SELECT channel, sum(sourced_pipeline) AS sourced_pipeline, sum(sourced_deals) AS sourced_deals,
           sum(sourced_without_amount) AS sourced_without_amount,
           sum(influenced_pipeline) AS influenced_pipeline, sum(influenced_deals) AS influenced_deals,
           sum(influenced_without_amount) AS influenced_without_amount
    FROM derived.attribution_reach_daily
    WHERE day BETWEEN $start AND $end
    GROUP BY channel
)
SELECT ch.channel,
       CAST(coalesce(r.sourced_pipeline, 0) AS DOUBLE) AS sourced_pipeline,
       CAST(coalesce(r.sourced_deals, 0) AS BIGINT) AS sourced_deals,
       CAST(coalesce(r.influenced_pipeline, 0) AS DOUBLE) AS influenced_pipeline,
       CAST(coalesce(r.influenced_deals, 0) AS BIGINT) AS influenced_deals,
       CAST(coalesce(r.sourced_without_amount, 0) AS BIGINT) AS sourced_without_amount,
       CAST(coalesce(r.influenced_without_amount, 0) AS BIGINT) AS influenced_without_amount
FROM (SELECT DISTINCT coalesce(channel, 'Unassigned') AS channel FROM campaigns) ch
LEFT JOIN reach r ON r.channel = ch.channel
ORDER BY ch.channel = 'Unassigned', ch.channel;
