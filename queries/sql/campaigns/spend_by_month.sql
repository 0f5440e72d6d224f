-- One campaign's delivery by month in the period (queries.campaigns.spend_by_month).
-- Parameters: $campaign_id, $start, $end (days, inclusive). Grain: one row per month with delivery.
SELECT CAST(date_trunc('month', day) AS DATE) AS month,
       CAST(sum(spend) AS DOUBLE) AS spend,
       sum(impressions) AS impressions,
       sum(clicks) AS clicks
FROM campaign_spend
WHERE campaign_id = $campaign_id AND day BETWEEN $start AND $end
GROUP BY 1
ORDER BY 1;
