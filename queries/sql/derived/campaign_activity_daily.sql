-- Inputs: campaign_spend, derived.campaign_deals_daily, leads
-- Summary table: each campaign's activity per day, so a period's per-campaign figures are one scan and one grouping.
-- No parameters. Grain: one row per (day, campaign_id) with any activity; sorted by day so a period's filter skips
-- the other row groups (day NULL: the leads and deals of the campaign without a created date, in no period).
-- spend: delivery (campaign_spend). impressions, clicks: summed over the delivery days that report them (0 when none
-- does). leads: leads the campaign sourced (leads.campaign_id) created that day; mqls, sqls: those leads whose
-- mql_at / sql_at fall on it. deals, pipeline: deals created that day (any stage) from leads the campaign sourced
-- (derived.campaign_deals_daily): how many, and the sum of the amounts they have.
-- What those figures leave out, on the rows flagged `gap` (a query reads them apart, and skips the row groups of
-- data that leaves nothing out): days_without_impressions, days_without_clicks (delivery days that report none),
-- impressions_without_clicks, clicks_without_impressions (what a day reports without the other: a click-through
-- rate leaves it out), deals_without_amount (deals created that day without one).
WITH events AS (
    SELECT campaign_id, day, spend, coalesce(impressions, 0) AS impressions, coalesce(clicks, 0) AS clicks,
           0 AS leads, 0 AS mqls, 0 AS sqls, 0 AS deals, 0 AS pipeline,
           CAST(impressions IS NULL AS INTEGER) AS days_without_impressions,
           CAST(clicks IS NULL AS INTEGER) AS days_without_clicks,
           CASE WHEN clicks IS NULL THEN coalesce(impressions, 0) ELSE 0 END AS impressions_without_clicks,
           CASE WHEN impressions IS NULL THEN coalesce(clicks, 0) ELSE 0 END AS clicks_without_impressions,
           0 AS deals_without_amount
    FROM campaign_spend
    UNION ALL
    SELECT campaign_id, CAST(created_at AS DATE), 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0
    FROM leads WHERE campaign_id IS NOT NULL
    UNION ALL
    SELECT campaign_id, CAST(mql_at AS DATE), 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0
    FROM leads WHERE campaign_id IS NOT NULL AND mql_at IS NOT NULL
    UNION ALL
    SELECT campaign_id, CAST(sql_at AS DATE), 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0
    FROM leads WHERE campaign_id IS NOT NULL AND sql_at IS NOT NULL
    UNION ALL
    SELECT campaign_id, day, 0, 0, 0, 0, 0, 0, deals, amount, 0, 0, 0, 0, deals_without_amount
    FROM derived.campaign_deals_daily WHERE event = 'created' AND campaign_id IS NOT NULL
),
daily AS (
    SELECT day, campaign_id, CAST(sum(spend) AS DECIMAL(18, 2)) AS spend,
           CAST(sum(impressions) AS BIGINT) AS impressions, CAST(sum(clicks) AS BIGINT) AS clicks,
           CAST(sum(leads) AS BIGINT) AS leads, CAST(sum(mqls) AS BIGINT) AS mqls, CAST(sum(sqls) AS BIGINT) AS sqls,
           CAST(sum(deals) AS BIGINT) AS deals, CAST(sum(pipeline) AS DECIMAL(18, 2)) AS pipeline,
           CAST(sum(days_without_impressions) AS BIGINT) AS days_without_impressions,
           CAST(sum(days_without_clicks) AS BIGINT) AS days_without_clicks,
           CAST(sum(impressions_without_clicks) AS BIGINT) AS impressions_without_clicks,
           CAST(sum(clicks_without_impressions) AS BIGINT) AS clicks_without_impressions,
           CAST(sum(deals_without_amount) AS BIGINT) AS deals_without_amount
    FROM events
    GROUP BY ALL
)
SELECT *, days_without_impressions > 0 OR days_without_clicks > 0 OR deals_without_amount > 0 AS gap
FROM daily
ORDER BY day, campaign_id
