-- One campaign's delivery by month in the period (queries.campaigns.spend_by_month).
-- Parameters: $campaign_id, $start, $end (days, inclusive). Grain: one row per month with delivery.
-- impressions, clicks: summed over the days that report them (0 when none does); days_without_impressions,
-- days_without_clicks: the month's delivery days that do not (left out).
SELECT CAST(date_trunc('month', day) AS DATE) AS month,
       CAST(sum(spend) AS DOUBLE) AS spend,
       CAST(coalesce(sum(impressions), 0) AS BIGINT) AS impressions,
       CAST(coalesce(sum(clicks), 0) AS BIGINT) AS clicks,
       count(*) - count(impressions) AS days_without_impressions,
       count(*) - count(clicks) AS days_without_clicks
FROM campaign_spend
WHERE campaign_id = $campaign_id AND day BETWEEN $start AND $end
GROUP BY 1
ORDER BY 1;
