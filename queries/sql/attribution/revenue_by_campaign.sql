-- Won revenue credited to each campaign by one attribution model (queries.attribution.revenue_by_campaign).
-- Parameters: $start, $end (close_date of won deals, inclusive), $model, $half_life_days and the position
-- weights of queries.attribution.MODELS. Grain: one row per campaign credited, plus one "Unattributed" row
-- (campaign_id NULL) for deals with no eligible touch. Rows sum to won revenue in the period, to the cent.
SELECT a.campaign_id,
       coalesce(c.name, 'Unattributed') AS campaign,
       c.channel,
       CAST(sum(a.credit) AS DOUBLE) AS attributed_revenue,
       count(DISTINCT a.deal_id) AS deals
FROM attribution_credit($start, $end, 'won', $half_life_days, $u_first, $u_middle, $u_last,
                        $w_first, $w_mql, $w_last, $w_rest) a
LEFT JOIN campaigns c ON c.campaign_id = a.campaign_id
WHERE a.model = $model
GROUP BY a.campaign_id, c.name, c.channel
ORDER BY sum(a.credit) DESC, a.campaign_id NULLS LAST;
