-- The sales feedback tagged to one campaign, newest first (queries.campaigns.feedback).
-- Parameters: $campaign_id. Grain: one row per feedback note (all time: the field's view is rarely dated).
SELECT created_at, author, team, topic, sentiment, body, deal_id
FROM feedback
WHERE campaign_id = $campaign_id
ORDER BY created_at DESC, feedback_id;
