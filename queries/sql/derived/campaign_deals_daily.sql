-- Derived table: deals created and deals won per day, by the campaign and channel of the lead they came from.
-- No parameters. Grain: one row per (event, day, campaign_id, lead_channel). event 'created': deals of any stage by
-- CAST(created_at AS DATE); event 'won': won deals by close_date. campaign_id, lead_channel: the lead's
-- (leads.campaign_id, leads.channel; NULL for a deal without a lead). amount: sum of the deals' amounts; deals: count.
-- Sorted by event, day so a period's filter skips the other row groups.
SELECT 'created' AS event, CAST(d.created_at AS DATE) AS day, l.campaign_id, l.channel AS lead_channel,
       CAST(sum(d.amount) AS DECIMAL(18, 2)) AS amount, count(*) AS deals
FROM deals d
LEFT JOIN leads l ON l.lead_id = d.lead_id
GROUP BY ALL
UNION ALL
SELECT 'won' AS event, d.close_date AS day, l.campaign_id, l.channel AS lead_channel,
       CAST(sum(d.amount) AS DECIMAL(18, 2)) AS amount, count(*) AS deals
FROM deals d
LEFT JOIN leads l ON l.lead_id = d.lead_id
WHERE d.stage = 'won' AND d.close_date IS NOT NULL
GROUP BY ALL
ORDER BY event, day
