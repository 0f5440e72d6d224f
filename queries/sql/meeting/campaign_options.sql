-- Returns the campaigns feedback can name: campaign_id, name, label (name and id, for a picker).
-- Parameters: none.
-- Grain: one row per campaign, by name.
SELECT campaign_id, name, name || ' (' || campaign_id || ')' AS label
FROM campaigns
ORDER BY name, campaign_id
