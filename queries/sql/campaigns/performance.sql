-- Campaign performance in the period, per campaign and per channel from one pass (queries.campaigns.
-- performance_levels; performance and performance_by_channel pick one level). Parameters: $start, $end (days,
-- inclusive), $channels (list, NULL = all), $objective (NULL = all), $model. Reads the daily rollups
-- derived.campaign_activity_daily and attribution_credit_daily (the live macro of the same shape for other
-- attribution settings, see queries.attribution.query_with_credit).
-- Grain: one row per (level, campaign) with any activity: level 'campaign', then level 'channel' (campaign_id,
-- campaign and objective NULL), each ordered by spend, won revenue, id.
-- spend, impressions, clicks: delivery on days in the period; ctr = clicks / impressions.
-- leads: leads the campaign sourced (leads.campaign_id) created in the period; cost_per_lead = spend / leads.
-- mqls, sqls: the campaign's leads whose mql_at / sql_at fall in the period.
-- pipeline: amount of deals created in the period from leads the campaign sourced (any stage).
-- won_revenue: won revenue attributed to the campaign by $model (won deals closing in the period).
-- roi = (won_revenue - spend) / spend.
WITH scoped AS (
    SELECT campaign_id, name, channel, objective
    FROM campaigns
    WHERE ($channels IS NULL OR list_contains($channels, channel))
      AND ($objective IS NULL OR objective = $objective)
),
activity AS (
    SELECT campaign_id, sum(spend) AS spend, sum(impressions) AS impressions, sum(clicks) AS clicks,
           sum(leads) AS leads, sum(mqls) AS mqls, sum(sqls) AS sqls, sum(pipeline) AS pipeline
    FROM derived.campaign_activity_daily
    WHERE day BETWEEN $start AND $end
    GROUP BY campaign_id
),
attributed AS (
    SELECT campaign_id, sum(credit) AS won_revenue
    FROM derived.attribution_credit_daily
    WHERE basis = 'won' AND day BETWEEN $start AND $end AND model = $model AND campaign_id IS NOT NULL
    GROUP BY campaign_id
),
per_campaign AS (
    SELECT s.campaign_id, s.name, s.channel, s.objective,
           coalesce(ac.spend, 0) AS spend, coalesce(ac.impressions, 0) AS impressions,
           coalesce(ac.clicks, 0) AS clicks, coalesce(ac.leads, 0) AS leads, coalesce(ac.mqls, 0) AS mqls,
           coalesce(ac.sqls, 0) AS sqls, coalesce(ac.pipeline, 0) AS pipeline,
           coalesce(a.won_revenue, 0) AS won_revenue
    FROM scoped s
    LEFT JOIN activity ac ON ac.campaign_id = s.campaign_id
    LEFT JOIN attributed a ON a.campaign_id = s.campaign_id
    WHERE ac.spend > 0 OR ac.leads > 0 OR ac.mqls > 0 OR ac.sqls > 0 OR ac.pipeline > 0 OR a.won_revenue > 0
),
grouped AS (
    SELECT CASE WHEN grouping(campaign_id) = 0 THEN 'campaign' ELSE 'channel' END AS level,
           campaign_id, name AS campaign, channel, objective,
           sum(spend) AS spend, sum(impressions) AS impressions, sum(clicks) AS clicks, sum(leads) AS leads,
           sum(mqls) AS mqls, sum(sqls) AS sqls, sum(pipeline) AS pipeline, sum(won_revenue) AS won_revenue
    FROM per_campaign
    GROUP BY GROUPING SETS ((campaign_id, name, channel, objective), (channel))
)
SELECT level, campaign_id, campaign, channel, objective,
       CAST(spend AS DOUBLE) AS spend,
       CAST(impressions AS BIGINT) AS impressions,
       CAST(clicks AS BIGINT) AS clicks,
       CAST(clicks AS DOUBLE) / nullif(impressions, 0) AS ctr,
       CAST(leads AS BIGINT) AS leads,
       CAST(spend AS DOUBLE) / nullif(leads, 0) AS cost_per_lead,
       CAST(mqls AS BIGINT) AS mqls,
       CAST(sqls AS BIGINT) AS sqls,
       CAST(pipeline AS DOUBLE) AS pipeline,
       CAST(won_revenue AS DOUBLE) AS won_revenue,
       CAST(won_revenue - spend AS DOUBLE) / nullif(CAST(spend AS DOUBLE), 0) AS roi
FROM grouped
ORDER BY level, spend DESC, won_revenue DESC, coalesce(campaign_id, channel);
