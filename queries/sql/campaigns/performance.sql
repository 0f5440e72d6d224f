-- Campaign performance in the period, per campaign and per channel from one pass (queries.campaigns.
-- performance_levels; performance and performance_by_channel pick one level). Parameters: $start, $end (days,
-- inclusive), $channels (list, NULL = all; 'Unassigned' matches a campaign without a channel), $objective (NULL =
-- all), $model. Reads the daily summary tables derived.campaign_activity_daily and attribution_credit_daily (the
-- live macro of the same shape for other attribution settings, see queries.attribution.query_with_credit).
-- Grain: one row per (level, campaign) with any activity: level 'campaign', then level 'channel' (campaign_id,
-- campaign and objective NULL; a campaign without a channel in 'Unassigned'), each ordered by spend, won revenue, id.
-- spend: delivery on days in the period. impressions, clicks: summed over the delivery days that report them (0
-- when none does); days_without_impressions, days_without_clicks count the days that do not. ctr = clicks /
-- impressions over the days that report both (NULL when none does).
-- leads: leads the campaign sourced (leads.campaign_id) created in the period; cost_per_lead = spend / leads.
-- mqls, sqls: the campaign's leads whose mql_at / sql_at fall in the period.
-- pipeline: amount of deals created in the period from leads the campaign sourced (any stage), over those with an
-- amount; deals_without_amount counts the others.
-- leads_without_created_date, deals_without_created_date: the campaign's leads, and deals from its leads, that have
-- no created date and so are in no period (of any time: a campaign listed for its activity in the period).
-- won_revenue: won revenue attributed to the campaign by $model (won deals closing in the period).
-- roi = (won_revenue - spend) / spend.
WITH scoped AS (
    SELECT campaign_id, name, coalesce(channel, 'Unassigned') AS channel, objective
    FROM campaigns
    WHERE ($channels IS NULL OR list_contains($channels, coalesce(channel, 'Unassigned')))
      AND ($objective IS NULL OR objective = $objective)
),
activity AS (
    SELECT campaign_id, sum(spend) AS spend, sum(impressions) AS impressions, sum(clicks) AS clicks,
           sum(leads) AS leads, sum(mqls) AS mqls, sum(sqls) AS sqls, sum(pipeline) AS pipeline
    FROM derived.campaign_activity_daily
    WHERE day BETWEEN $start AND $end
    GROUP BY campaign_id
),
gaps AS (
    -- What the period's figures leave out, from the rows flagged gap alone (on data that leaves nothing out, the
    -- scan skips every row group).
    SELECT campaign_id, sum(days_without_impressions) AS days_without_impressions,
           sum(days_without_clicks) AS days_without_clicks,
           sum(impressions_without_clicks) AS impressions_without_clicks,
           sum(clicks_without_impressions) AS clicks_without_impressions,
           sum(deals_without_amount) AS deals_without_amount
    FROM derived.campaign_activity_daily
    WHERE gap AND day BETWEEN $start AND $end
    GROUP BY campaign_id
),
undated AS (
    SELECT campaign_id, sum(leads) AS leads, sum(deals) AS deals
    FROM derived.campaign_activity_daily
    WHERE day IS NULL
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
           coalesce(a.won_revenue, 0) AS won_revenue,
           coalesce(g.days_without_impressions, 0) AS days_without_impressions,
           coalesce(g.days_without_clicks, 0) AS days_without_clicks,
           coalesce(g.impressions_without_clicks, 0) AS impressions_without_clicks,
           coalesce(g.clicks_without_impressions, 0) AS clicks_without_impressions,
           coalesce(g.deals_without_amount, 0) AS deals_without_amount,
           coalesce(u.leads, 0) AS undated_leads, coalesce(u.deals, 0) AS undated_deals
    FROM scoped s
    LEFT JOIN activity ac ON ac.campaign_id = s.campaign_id
    LEFT JOIN attributed a ON a.campaign_id = s.campaign_id
    LEFT JOIN gaps g ON g.campaign_id = s.campaign_id
    LEFT JOIN undated u ON u.campaign_id = s.campaign_id
    WHERE ac.spend > 0 OR ac.leads > 0 OR ac.mqls > 0 OR ac.sqls > 0 OR ac.pipeline > 0 OR g.deals_without_amount > 0
       OR a.won_revenue > 0
),
grouped AS (
    SELECT CASE WHEN grouping(campaign_id) = 0 THEN 'campaign' ELSE 'channel' END AS level,
           campaign_id, name AS campaign, channel, objective,
           sum(spend) AS spend, sum(impressions) AS impressions, sum(clicks) AS clicks, sum(leads) AS leads,
           sum(mqls) AS mqls, sum(sqls) AS sqls, sum(pipeline) AS pipeline, sum(won_revenue) AS won_revenue,
           sum(days_without_impressions) AS days_without_impressions, sum(days_without_clicks) AS days_without_clicks,
           sum(impressions_without_clicks) AS impressions_without_clicks,
           sum(clicks_without_impressions) AS clicks_without_impressions,
           sum(deals_without_amount) AS deals_without_amount, sum(undated_leads) AS undated_leads,
           sum(undated_deals) AS undated_deals
    FROM per_campaign
    GROUP BY GROUPING SETS ((campaign_id, name, channel, objective), (channel))
)
SELECT level, campaign_id, campaign, channel, objective,
       CAST(spend AS DOUBLE) AS spend,
       CAST(impressions AS BIGINT) AS impressions,
       CAST(clicks AS BIGINT) AS clicks,
       formulas.ctr(clicks - clicks_without_impressions, impressions - impressions_without_clicks) AS ctr,
       CAST(leads AS BIGINT) AS leads,
       formulas.cost_per_lead(spend, leads) AS cost_per_lead,
       CAST(mqls AS BIGINT) AS mqls,
       CAST(sqls AS BIGINT) AS sqls,
       CAST(pipeline AS DOUBLE) AS pipeline,
       CAST(won_revenue AS DOUBLE) AS won_revenue,
       formulas.roi(won_revenue, spend) AS roi,
       CAST(days_without_impressions AS BIGINT) AS days_without_impressions,
       CAST(days_without_clicks AS BIGINT) AS days_without_clicks,
       CAST(deals_without_amount AS BIGINT) AS deals_without_amount,
       CAST(undated_leads AS BIGINT) AS leads_without_created_date,
       CAST(undated_deals AS BIGINT) AS deals_without_created_date
FROM grouped
ORDER BY level, spend DESC, won_revenue DESC, coalesce(campaign_id, channel);
