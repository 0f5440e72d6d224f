-- The campaign plan with the 4Ps, flight status and budget against spend (queries.campaigns.plan).
-- Parameters: $start, $end (the period), $as_of (the day treated as today), $objective (NULL = all),
-- $channels (list, NULL = all), $status (list of planned/running/ended, NULL = all).
-- Grain: one row per campaign whose flight overlaps the period or that is still planned at as_of.
-- status: planned (start_date > as_of), running (start_date <= as_of <= end_date), ended (end_date < as_of).
-- spend_to_date: spend on days up to as_of; budget_used = spend_to_date / budget.
WITH spent AS (
    SELECT campaign_id, sum(spend) AS spend_to_date
    FROM campaign_spend
    WHERE day <= $as_of
    GROUP BY campaign_id
),
planned AS (
    SELECT c.*,
           CASE WHEN c.start_date > $as_of THEN 'planned'
                WHEN c.end_date < $as_of THEN 'ended'
                ELSE 'running' END AS status,
           coalesce(s.spend_to_date, 0) AS spend_to_date
    FROM campaigns c
    LEFT JOIN spent s ON s.campaign_id = c.campaign_id
)
SELECT campaign_id, name AS campaign, objective, channel, product, price_point, place, promotion,
       start_date, end_date, status, CAST(budget AS DOUBLE) AS budget,
       CAST(spend_to_date AS DOUBLE) AS spend_to_date,
       CAST(spend_to_date AS DOUBLE) / nullif(CAST(budget AS DOUBLE), 0) AS budget_used,
       owner
FROM planned
WHERE (start_date <= $end AND end_date >= $start OR status = 'planned')
  AND ($objective IS NULL OR objective = $objective)
  AND ($channels IS NULL OR list_contains($channels, channel))
  AND ($status IS NULL OR list_contains($status, status))
ORDER BY start_date DESC, campaign_id;
