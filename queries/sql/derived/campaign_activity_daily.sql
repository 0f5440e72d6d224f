-- Derived table: each campaign's activity per day, so a period's per-campaign figures are one scan and one grouping.
-- No parameters. Grain: one row per (day, campaign_id) with any activity; sorted by day so a period's filter skips
-- the other row groups. spend, impressions, clicks: delivery (campaign_spend). leads: leads the campaign sourced
-- (leads.campaign_id) created that day; mqls, sqls: those leads whose mql_at / sql_at fall on it. pipeline: amount of
-- deals created that day (any stage) from leads the campaign sourced (derived.campaign_deals_daily).
WITH events AS (
    SELECT campaign_id, day, spend, impressions, clicks, 0 AS leads, 0 AS mqls, 0 AS sqls, 0 AS pipeline
    FROM campaign_spend
    UNION ALL
    SELECT campaign_id, CAST(created_at AS DATE), 0, 0, 0, 1, 0, 0, 0
    FROM leads WHERE campaign_id IS NOT NULL
    UNION ALL
    SELECT campaign_id, CAST(mql_at AS DATE), 0, 0, 0, 0, 1, 0, 0
    FROM leads WHERE campaign_id IS NOT NULL AND mql_at IS NOT NULL
    UNION ALL
    SELECT campaign_id, CAST(sql_at AS DATE), 0, 0, 0, 0, 0, 1, 0
    FROM leads WHERE campaign_id IS NOT NULL AND sql_at IS NOT NULL
    UNION ALL
    SELECT campaign_id, day, 0, 0, 0, 0, 0, 0, amount
    FROM derived.campaign_deals_daily WHERE event = 'created' AND campaign_id IS NOT NULL
)
SELECT day, campaign_id, CAST(sum(spend) AS DECIMAL(18, 2)) AS spend, CAST(sum(impressions) AS BIGINT) AS impressions,
       CAST(sum(clicks) AS BIGINT) AS clicks, CAST(sum(leads) AS BIGINT) AS leads, CAST(sum(mqls) AS BIGINT) AS mqls,
       CAST(sum(sqls) AS BIGINT) AS sqls, CAST(sum(pipeline) AS DECIMAL(18, 2)) AS pipeline
FROM events
GROUP BY ALL
ORDER BY day, campaign_id
