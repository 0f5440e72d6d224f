-- Monthly spend and pipeline created per campaign channel, the points of the response curves
-- (queries.campaigns.response_curves). Parameters: $start, $end (days, inclusive). Reads the daily summary tables
-- derived.campaign_spend_daily and derived.campaign_deals_daily. Grain: one row per (channel with a campaign,
-- calendar month touching [start, end]); months without activity show 0. spend: the channel's campaign spend on
-- days in the period; pipeline_created: amount of deals created in the period (any stage) whose lead's source channel
-- (leads.channel) is the channel, over the deals with an amount; deals_without_amount: those without one. A campaign
-- and a lead without a channel are in 'Unassigned'. The same numbers as spend_vs_pipeline(channel=…)'s spend,
-- pipeline_created and deals_without_amount.
WITH months AS (
    SELECT CAST(m AS DATE) AS month
    FROM range(date_trunc('month', CAST($start AS DATE)), CAST($end AS DATE) + INTERVAL 1 DAY, INTERVAL 1 MONTH) r(m)
),
channels AS (
    SELECT DISTINCT coalesce(channel, 'Unassigned') AS channel FROM campaigns
),
spend AS (
    SELECT channel, CAST(date_trunc('month', day) AS DATE) AS month, sum(spend) AS spend
    FROM derived.campaign_spend_daily
    WHERE day BETWEEN $start AND $end
    GROUP BY ALL
),
pipeline AS (
    SELECT lead_channel AS channel, CAST(date_trunc('month', day) AS DATE) AS month, sum(amount) AS pipeline,
           sum(deals_without_amount) AS deals_without_amount
    FROM derived.campaign_deals_daily
    WHERE event = 'created' AND day BETWEEN $start AND $end
    GROUP BY ALL
)
SELECT ch.channel, m.month,
       CAST(coalesce(s.spend, 0) AS DOUBLE) AS spend,
       CAST(coalesce(p.pipeline, 0) AS DOUBLE) AS pipeline_created,
       CAST(coalesce(p.deals_without_amount, 0) AS BIGINT) AS deals_without_amount
FROM channels ch
CROSS JOIN months m
LEFT JOIN spend s ON s.channel = ch.channel AND s.month = m.month
LEFT JOIN pipeline p ON p.channel = ch.channel AND p.month = m.month
ORDER BY ch.channel, m.month;
