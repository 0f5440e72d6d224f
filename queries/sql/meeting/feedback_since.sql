-- Returns field feedback created after the day $after (NULL = from the beginning) through the end of $through:
-- feedback_id, created_at, topic, sentiment, body, author, team, campaign_id, campaign_name.
-- Parameters: $after (DATE or NULL, exclusive), $through (DATE, inclusive).
-- Grain: one row per feedback, by topic (4Ps, lead quality, other) then newest first.
SELECT f.feedback_id, f.created_at, f.topic, f.sentiment, f.body, f.author, f.team, f.campaign_id,
       c.name AS campaign_name
FROM feedback AS f
LEFT JOIN campaigns AS c ON c.campaign_id = f.campaign_id
WHERE ($after IS NULL OR f.created_at >= CAST($after AS DATE) + INTERVAL 1 DAY)
  AND f.created_at < CAST($through AS DATE) + INTERVAL 1 DAY
ORDER BY list_position(['product', 'price', 'place', 'promotion', 'lead_quality', 'other'], f.topic),
         f.created_at DESC, f.feedback_id
