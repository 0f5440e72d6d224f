-- Derived table: campaign delivery (campaign_spend) sorted by day, so a period's filter skips the other row groups
-- (the base table is in import order). No parameters. Grain: one row per (campaign_id, day) with delivery.
SELECT day, campaign_id, spend, impressions, clicks
FROM campaign_spend
ORDER BY day, campaign_id
