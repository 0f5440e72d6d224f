-- Sourced beside influenced pipeline per campaign channel (queries.attribution.sourced_vs_influenced).
-- Parameters: $start, $end (deals created in the period, inclusive; any stage). Grain: one row per channel
-- that has a campaign. Sourced: the deal's lead came from a campaign of the channel. Influenced: the lead was
-- touched by a campaign of the channel at or before the deal's created_at (a deal counts once per channel).
WITH created AS (
    SELECT d.deal_id, d.lead_id, d.created_at, d.amount
    FROM deals d
    WHERE CAST(d.created_at AS DATE) BETWEEN $start AND $end
),
sourced AS (
    SELECT c.channel, sum(d.amount) AS pipeline, count(*) AS deals
    FROM created d
    JOIN leads l ON l.lead_id = d.lead_id
    JOIN campaigns c ON c.campaign_id = l.campaign_id
    GROUP BY c.channel
),
influenced_pairs AS (
    SELECT DISTINCT c.channel, d.deal_id, d.amount
    FROM created d
    JOIN touches t ON t.lead_id = d.lead_id AND t.touched_at <= d.created_at
    JOIN campaigns c ON c.campaign_id = t.campaign_id
),
influenced AS (
    SELECT channel, sum(amount) AS pipeline, count(*) AS deals
    FROM influenced_pairs
    GROUP BY channel
)
SELECT ch.channel,
       CAST(coalesce(s.pipeline, 0) AS DOUBLE) AS sourced_pipeline,
       coalesce(s.deals, 0) AS sourced_deals,
       CAST(coalesce(i.pipeline, 0) AS DOUBLE) AS influenced_pipeline,
       coalesce(i.deals, 0) AS influenced_deals
FROM (SELECT DISTINCT channel FROM campaigns) ch
LEFT JOIN sourced s ON s.channel = ch.channel
LEFT JOIN influenced i ON i.channel = ch.channel
ORDER BY ch.channel;
