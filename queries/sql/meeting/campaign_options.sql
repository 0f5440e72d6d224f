-- Returns the campaigns feedback can name: campaign_id, name, label (name and id, for a picker): those in flight at
-- some point in the $months months up to $as_of (every campaign when $as_of is NULL); a missing flight date rules
-- nothing out (a campaign without dates is always offered). Older campaigns can still be named by id through
-- add_feedback; the picker stays short enough to scan in a meeting.
-- Parameters: $as_of (DATE or NULL), $months (INTEGER).
-- Grain: one row per campaign, by name.
SELECT campaign_id, name, name || ' (' || campaign_id || ')' AS label
FROM campaigns
WHERE $as_of IS NULL
   OR (coalesce(start_date <= CAST($as_of AS DATE), TRUE)
       AND coalesce(end_date >= CAST(CAST($as_of AS DATE) - to_months(CAST($months AS INTEGER)) AS DATE), TRUE))
ORDER BY name, campaign_id
