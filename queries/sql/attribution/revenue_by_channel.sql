-- Won revenue credited to each channel by every attribution model, side by side
-- (queries.attribution.revenue_by_channel). Parameters: $start, $end (close_date of won deals, inclusive),
-- $half_life_days and the position weights of queries.attribution.MODELS.
-- Grain: one row per (model, channel); channel 'Unattributed' holds deals with no eligible touch.
WITH by_channel AS (
    SELECT a.model,
           coalesce(c.channel, 'Unattributed') AS channel,
           sum(a.credit) AS credit
    FROM attribution_credit($start, $end, 'won', $half_life_days, $u_first, $u_middle, $u_last,
                            $w_first, $w_mql, $w_last, $w_rest) a
    LEFT JOIN campaigns c ON c.campaign_id = a.campaign_id
    GROUP BY ALL
)
SELECT model,
       channel,
       CAST(credit AS DOUBLE) AS attributed_revenue,
       CAST(credit AS DOUBLE) / nullif(CAST(sum(credit) OVER (PARTITION BY model) AS DOUBLE), 0) AS share
FROM by_channel
ORDER BY model, channel = 'Unattributed', channel;
