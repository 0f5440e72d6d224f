-- Monthly spend, adstocked spend, pipeline created and won revenue (queries.campaigns.spend_vs_pipeline).
-- Parameters: $start, $end (days, inclusive), $theta (carry-over per month, 0 <= theta < 1), $channel (NULL = all).
-- Grain: one row per calendar month touching [start, end] (months without activity show 0).
-- spend: campaign spend on days in the period. adstocked_spend: A(m) = spend(m) + theta * A(m - 1), carried from
-- the first month with spend, so spend before the period still echoes into it. pipeline_created: amount of deals
-- created in the period (any stage) that have an amount, deals_without_amount: those that have none (left out),
-- deals_created: all of them (with an amount or not);
-- won_revenue: amount of won deals by close_date. With a channel, spend is that channel's campaigns' and deals count
-- when their lead's source channel (leads.channel) is that channel ('Unassigned': campaigns and leads without one);
-- without one, every deal counts. deals_without_created_date: the deals that count without a created date, in no
-- month (the same on every row).
-- Reads the daily summary tables derived.campaign_spend_daily and derived.campaign_deals_daily.
WITH months AS (
    SELECT CAST(m AS DATE) AS month
    FROM range(date_trunc('month', CAST($start AS DATE)), CAST($end AS DATE) + INTERVAL 1 DAY, INTERVAL 1 MONTH) r(m)
),
all_spend AS (
    SELECT CAST(date_trunc('month', day) AS DATE) AS month,
           sum(spend) AS spend_all,
           sum(spend) FILTER (WHERE day >= $start) AS spend_in_period
    FROM derived.campaign_spend_daily
    WHERE day <= $end AND ($channel IS NULL OR channel = $channel)
    GROUP BY 1
),
history AS (
    -- Every month from the first spend to the end, so the carry-over has no gaps.
    SELECT CAST(m AS DATE) AS month
    FROM range((SELECT coalesce(min(month), date_trunc('month', CAST($start AS DATE))) FROM all_spend),
               CAST($end AS DATE) + INTERVAL 1 DAY, INTERVAL 1 MONTH) r(m)
),
indexed AS (
    SELECT h.month, coalesce(a.spend_all, 0) AS spend_all,
           row_number() OVER (ORDER BY h.month) AS idx
    FROM history h
    LEFT JOIN all_spend a ON a.month = h.month
),
adstocked AS (
    SELECT cur.month, sum(CAST(prev.spend_all AS DOUBLE) * pow($theta, cur.idx - prev.idx)) AS adstocked_spend
    FROM indexed cur
    JOIN indexed prev ON prev.idx <= cur.idx
    GROUP BY cur.month
),
deals_by_month AS (
    SELECT event, CAST(date_trunc('month', day) AS DATE) AS month, sum(amount) AS amount, sum(deals) AS deals,
           sum(deals_without_amount) AS deals_without_amount
    FROM derived.campaign_deals_daily
    WHERE day BETWEEN $start AND $end AND ($channel IS NULL OR lead_channel = $channel)
    GROUP BY ALL
),
undated AS (
    SELECT CAST(coalesce(sum(deals), 0) AS BIGINT) AS deals
    FROM derived.campaign_deals_daily
    WHERE event = 'created' AND day IS NULL AND ($channel IS NULL OR lead_channel = $channel)
),
pipeline AS (
    SELECT month, amount AS pipeline_created, deals AS deals_created, deals_without_amount
    FROM deals_by_month WHERE event = 'created'
),
won AS (
    SELECT month, amount AS won_revenue FROM deals_by_month WHERE event = 'won'
)
SELECT m.month,
       CAST(coalesce(a.spend_in_period, 0) AS DOUBLE) AS spend,
       coalesce(ad.adstocked_spend, 0) AS adstocked_spend,
       CAST(coalesce(p.pipeline_created, 0) AS DOUBLE) AS pipeline_created,
       CAST(coalesce(w.won_revenue, 0) AS DOUBLE) AS won_revenue,
       CAST(coalesce(p.deals_created, 0) AS BIGINT) AS deals_created,
       CAST(coalesce(p.deals_without_amount, 0) AS BIGINT) AS deals_without_amount,
       (SELECT deals FROM undated) AS deals_without_created_date
FROM months m
LEFT JOIN all_spend a ON a.month = m.month
LEFT JOIN adstocked ad ON ad.month = m.month
LEFT JOIN pipeline p ON p.month = m.month
LEFT JOIN won w ON w.month = m.month
ORDER BY m.month;
