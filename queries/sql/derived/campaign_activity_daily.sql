-- Derived table: each campaign's activity per day, so a period's per-campaign figures are one scan and one grouping.
-- No parameters. Grain: one row per (day, campaign_id) with any activity; sorted by day so a period's filter skips
-- the other row groups (day NULL: the leads and deals of the campaign without a created date, in no period).
-- spend: delivery (campaign_spend). impressions, clicks: summed over the delivery days that report them (NULL when
-- none does); days_without_impressions, days_without_clicks: the delivery days that do not. leads: leads the
-- campaign sourced (leads.campaign_id) created that day; mqls, sqls: those leads whose mql_at / sql_at fall on it.
-- deals, pipeline, deals_without_amount: deals created that day (any stage) from leads the campaign sourced
-- (derived.campaign_deals_daily): how many, the sum of their amounts (those that have one), how many have none.
WITH events AS (
    SELECT campaign_id, day, spend, impressions, clicks,
           CAST(impressions IS NULL AS INTEGER) AS days_without_impressions,
           CAST(clicks IS NULL AS INTEGER) AS days_without_clicks,
           0 AS leads, 0 AS mqls, 0 AS sqls, 0 AS deals, 0 AS pipeline, 0 AS deals_without_amount
    FROM campaign_spend
    UNION ALL
    SELECT campaign_id, CAST(created_at AS DATE), 0, NULL, NULL, 0, 0, 1, 0, 0, 0, 0, 0
    FROM leads WHERE campaign_id IS NOT NULL
    UNION ALL
    SELECT campaign_id, CAST(mql_at AS DATE), 0, NULL, NULL, 0, 0, 0, 1, 0, 0, 0, 0
    FROM leads WHERE campaign_id IS NOT NULL AND mql_at IS NOT NULL
    UNION ALL
    SELECT campaign_id, CAST(sql_at AS DATE), 0, NULL, NULL, 0, 0, 0, 0, 1, 0, 0, 0
    FROM leads WHERE campaign_id IS NOT NULL AND sql_at IS NOT NULL
    UNION ALL
    SELECT campaign_id, day, 0, NULL, NULL, 0, 0, 0, 0, 0, deals, amount, deals_without_amount
    FROM derived.campaign_deals_daily WHERE event = 'created' AND campaign_id IS NOT NULL
)
SELECT day, campaign_id, CAST(sum(spend) AS DECIMAL(18, 2)) AS spend, CAST(sum(impressions) AS BIGINT) AS impressions,
       CAST(sum(clicks) AS BIGINT) AS clicks, CAST(sum(days_without_impressions) AS BIGINT) AS days_without_impressions,
       CAST(sum(days_without_clicks) AS BIGINT) AS days_without_clicks, CAST(sum(leads) AS BIGINT) AS leads,
       CAST(sum(mqls) AS BIGINT) AS mqls, CAST(sum(sqls) AS BIGINT) AS sqls, CAST(sum(deals) AS BIGINT) AS deals,
       CAST(sum(pipeline) AS DECIMAL(18, 2)) AS pipeline,
       CAST(sum(deals_without_amount) AS BIGINT) AS deals_without_amount
FROM events
GROUP BY ALL
ORDER BY day, campaign_id
