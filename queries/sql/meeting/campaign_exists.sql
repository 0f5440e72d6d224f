-- Returns one row when the campaign exists (feedback may name only known campaigns).
-- Parameters: $campaign_id.
-- Grain: at most one row.
SELECT campaign_id FROM campaigns WHERE campaign_id = $campaign_id
