-- What the performance figures of some campaigns leave out, and the totals they leave it out of
-- (queries.campaigns.performance_gaps). Parameters: $campaign_ids (list: the campaigns a table or a tile shows),
-- $start, $end (days, inclusive). Grain: one row.
-- delivery_days: the campaigns' delivery days (rows of campaign_spend) in the period; days_without_impressions,
-- days_without_clicks: those that report no impressions, no clicks (left out of impressions, clicks);
-- days_without_ctr: those that lack either (left out of the click-through rate).
-- deals: deals created in the period (any stage) from leads the campaigns sourced; deals_without_amount: those
-- without an amount (left out of pipeline); deals_without_created_date: deals from the campaigns' leads that have no
-- created date (in no period, of any time).
WITH delivery AS (
    SELECT count(*) AS delivery_days,
           count(*) - count(impressions) AS days_without_impressions,
           count(*) - count(clicks) AS days_without_clicks,
           count(*) FILTER (WHERE impressions IS NULL OR clicks IS NULL) AS days_without_ctr
    FROM campaign_spend
    WHERE list_contains($campaign_ids, campaign_id) AND day BETWEEN $start AND $end
),
sourced AS (
    SELECT sum(deals) FILTER (WHERE day BETWEEN $start AND $end) AS deals,
           sum(deals_without_amount) FILTER (WHERE day BETWEEN $start AND $end) AS deals_without_amount,
           sum(deals) FILTER (WHERE day IS NULL) AS deals_without_created_date
    FROM derived.campaign_deals_daily
    WHERE event = 'created' AND list_contains($campaign_ids, campaign_id)
)
SELECT CAST(d.delivery_days AS BIGINT) AS delivery_days,
       CAST(d.days_without_impressions AS BIGINT) AS days_without_impressions,
       CAST(d.days_without_clicks AS BIGINT) AS days_without_clicks,
       CAST(d.days_without_ctr AS BIGINT) AS days_without_ctr,
       CAST(coalesce(s.deals, 0) AS BIGINT) AS deals,
       CAST(coalesce(s.deals_without_amount, 0) AS BIGINT) AS deals_without_amount,
       CAST(coalesce(s.deals_without_created_date, 0) AS BIGINT) AS deals_without_created_date
FROM delivery d, sourced s;
