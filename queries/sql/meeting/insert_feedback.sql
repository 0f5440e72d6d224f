-- Records one piece of field feedback typed into the meeting page.
-- Parameters: $feedback_id, $at (TIMESTAMP), $author, $team, $campaign_id (or NULL), $topic, $sentiment (-1/0/1),
-- $body, $batch_id.
-- Grain: one new row in feedback.
INSERT INTO feedback (feedback_id, created_at, author, team, campaign_id, deal_id, topic, sentiment, body, batch_id)
VALUES ($feedback_id, $at, $author, $team, $campaign_id, NULL, $topic, $sentiment, $body, $batch_id)
