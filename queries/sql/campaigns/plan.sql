-- The campaign plan with the 4Ps, flight status and budget against spend (queries.campaigns.plan).
-- Parameters: $start, $end (the period), $as_of (the day treated as today), $objective (NULL = all),
-- $channels (list, NULL = all; 'Unassigned' matches a campaign without a channel), $status (list of
-- planned/running/ended/unknown, NULL = all).
-- Grain: one row per campaign whose flight overlaps the period or that is still planned at as_of; a missing flight
-- date rules nothing out (a campaign without dates is listed in every period).
-- status: planned (start_date > as_of), ended (end_date < as_of), running (start_date <= as_of <= end_date), or
-- unknown when the dates it has do not say which (a campaign that started without an end date, or without dates).
-- channel: 'Unassigned' for a campaign without one. spend_to_date: spend on days up to as_of; budget_used =
-- spend_to_date / budget (NULL without a budget).
WITH spent AS (
    SELECT campaign_id, sum(spend) AS spend_to_date
    FROM campaign_spend
    WHERE day <= $as_of
    GROUP BY campaign_id
),
planned AS (
    SELECT c.*,
           coalesce(c.channel, 'Unassigned') AS channel_shown,
           CASE WHEN c.start_date > $as_of THEN 'planned'
                WHEN c.end_date < $as_of THEN 'ended'
                WHEN c.start_date <= $as_of AND c.end_date >= $as_of THEN 'running'
                ELSE 'unknown' END AS status,
           coalesce(s.spend_to_date, 0) AS spend_to_date
    FROM campaigns c
    LEFT JOIN spent s ON s.campaign_id = c.campaign_id
)
SELECT campaign_id, name AS campaign, objective, channel_shown AS channel, product, price_point, place, promotion,
       start_date, end_date, status, CAST(budget AS DOUBLE) AS budget,
       CAST(spend_to_date AS DOUBLE) AS spend_to_date,
       CAST(spend_to_date AS DOUBLE) / nullif(CAST(budget AS DOUBLE), 0) AS budget_used,
       owner
FROM planned
WHERE (coalesce(start_date <= $end, TRUE) AND coalesce(end_date >= $start, TRUE) OR status = 'planned')
  AND ($objective IS NULL OR objective = $objective)
  AND ($channels IS NULL OR list_contains($channels, channel_shown))
  AND ($status IS NULL OR list_contains($status, status))
ORDER BY start_date DESC, campaign_id;
