-- Inputs: deals, leads
-- Summary table: deals created and deals won per day, by the campaign and channel of the lead they came from.
-- No parameters. Grain: one row per (event, day, campaign_id, lead_channel). event 'created': deals of any stage by
-- CAST(created_at AS DATE) (day NULL: the deals without a created date, in no period); event 'won': won deals by
-- close_date. campaign_id, lead_channel: the lead's (leads.campaign_id, leads.channel: 'Unassigned' for a lead
-- without one; both NULL for a deal without a lead). amount: sum of the deals' amounts, over those that have one;
-- deals: count, every deal; deals_without_amount: the deals without one (left out of amount).
-- Sorted by event, day so a period's filter skips the other row groups.
SELECT 'created' AS event, CAST(d.created_at AS DATE) AS day, l.campaign_id,
       CASE WHEN l.lead_id IS NOT NULL THEN coalesce(l.channel, 'Unassigned') END AS lead_channel,
       CAST(sum(d.amount) AS DECIMAL(18, 2)) AS amount, count(*) AS deals,
       count(*) - count(d.amount) AS deals_without_amount
FROM deals d
LEFT JOIN leads l ON l.lead_id = d.lead_id
GROUP BY ALL
UNION ALL
SELECT 'won' AS event, d.close_date AS day, l.campaign_id,
       CASE WHEN l.lead_id IS NOT NULL THEN coalesce(l.channel, 'Unassigned') END AS lead_channel,
       CAST(sum(d.amount) AS DECIMAL(18, 2)) AS amount, count(*) AS deals,
       count(*) - count(d.amount) AS deals_without_amount
FROM deals d
LEFT JOIN leads l ON l.lead_id = d.lead_id
WHERE d.stage = 'won' AND d.close_date IS NOT NULL
GROUP BY ALL
ORDER BY event, day
