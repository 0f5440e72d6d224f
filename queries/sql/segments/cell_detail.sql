-- Returns the leads behind one slice of the segments page and the deals made from them: the leads created in
-- [$start, $end] whose region, segment and industry match $region, $segment, $industry (NULL = any), one row per
-- lead × deal (a lead without a deal has one row with empty deal columns).
-- Parameters: $start, $end (DATE, inclusive); $region, $segment, $industry (VARCHAR or NULL; 'Unassigned' matches a
-- lead without that value, as the page's slices name it); $regions, $segments (VARCHAR[] or NULL = all).
-- region, segment, industry and channel are 'Unassigned' where the lead has none; cycle_days is NULL for a deal
-- without a created date.
-- Grain: one row per (lead, deal), won deals first, then by amount and lead.
SELECT
    l.lead_id,
    l.created_at,
    l.company,
    coalesce(l.region, 'Unassigned') AS region,
    coalesce(l.segment, 'Unassigned') AS segment,
    coalesce(l.industry, 'Unassigned') AS industry,
    coalesce(l.channel, 'Unassigned') AS channel,
    l.owner_rep_id,
    d.deal_id,
    d.stage AS deal_stage,
    CAST(d.amount AS DOUBLE) AS amount,
    d.close_date,
    CASE WHEN d.stage IN ('won', 'lost') THEN date_diff('day', CAST(d.created_at AS DATE), d.close_date) END
        AS cycle_days
FROM leads AS l
LEFT JOIN deals AS d ON d.lead_id = l.lead_id
WHERE l.created_at >= $start AND l.created_at < $end + INTERVAL 1 DAY
  AND ($region IS NULL OR coalesce(l.region, 'Unassigned') = $region)
  AND ($segment IS NULL OR coalesce(l.segment, 'Unassigned') = $segment)
  AND ($industry IS NULL OR coalesce(l.industry, 'Unassigned') = $industry)
  AND ($regions IS NULL OR list_contains($regions, coalesce(l.region, 'Unassigned')))
  AND ($segments IS NULL OR list_contains($segments, coalesce(l.segment, 'Unassigned')))
ORDER BY d.stage = 'won' DESC NULLS LAST, d.amount DESC NULLS LAST, l.created_at, l.lead_id, d.deal_id
