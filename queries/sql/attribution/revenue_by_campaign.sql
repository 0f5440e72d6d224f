-- Won revenue credited to each campaign by one attribution model (queries.attribution.revenue_by_campaign).
-- Parameters: $start, $end (close_date of won deals, inclusive), $model. Reads the daily credit summary table
-- (derived.attribution_credit_daily; other settings swap in the live macro of the same shape, see
-- queries.attribution.query_with_credit). Grain: one row per campaign credited, plus one "Unattributed" row
-- (campaign_id NULL, channel NULL) for deals with no eligible touch; channel 'Unassigned' for a campaign without
-- one. Rows sum to won revenue in the period, to the cent.
-- deals: won deals giving the campaign any credit (each deal closes on one day, so the daily counts add up).
SELECT attribution_credit_daily.campaign_id,
       coalesce(c.name, 'Unattributed') AS campaign,
       CASE WHEN attribution_credit_daily.campaign_id IS NOT NULL THEN coalesce(c.channel, 'Unassigned') END
           AS channel,
       CAST(sum(credit) AS DOUBLE) AS attributed_revenue,
       CAST(sum(deals) AS BIGINT) AS deals
FROM derived.attribution_credit_daily
LEFT JOIN campaigns c ON c.campaign_id = attribution_credit_daily.campaign_id
WHERE basis = 'won' AND day BETWEEN $start AND $end AND model = $model
GROUP BY attribution_credit_daily.campaign_id, c.name, c.channel
ORDER BY sum(credit) DESC, attribution_credit_daily.campaign_id NULLS LAST;
