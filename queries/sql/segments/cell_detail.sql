-- Returns the leads behind one slice of the segments page and the deals made from them: the leads created in
-- [$start, $end] whose region, segment and industry match $region, $segment, $industry (NULL = any), one row per
-- lead × deal (a lead without a deal has one row with empty deal columns).
-- Parameters: $start, $end (DATE, inclusive); $region, $segment, $industry (VARCHAR or NULL; '(unknown)' matches a
-- lead without industry); $regions, $segments (VARCHAR[] or NULL = all).
-- Grain: one row per (lead, deal), won deals first, then by amount and lead.
SELECT
    l.lead_id,
    l.created_at,
    l.company,
    l.region,
    l.segment,
    coalesce(l.industry, '(unknown)') AS industry,
    l.channel,
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
  AND ($region IS NULL OR l.region = $region)
  AND ($segment IS NULL OR l.segment = $segment)
  AND ($industry IS NULL OR coalesce(l.industry, '(unknown)') = $industry)
  AND ($regions IS NULL OR list_contains($regions, l.region))
  AND ($segments IS NULL OR list_contains($segments, l.segment))
ORDER BY d.stage = 'won' DESC NULLS LAST, d.amount DESC NULLS LAST, l.created_at, l.lead_id, d.deal_id
