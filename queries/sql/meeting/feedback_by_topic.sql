-- Returns field feedback counts per topic after the day $after (NULL = from the beginning) through $through:
-- topic, items, negative, neutral, positive, net_sentiment (mean of −1/0/1), campaigns (distinct campaigns named).
-- Parameters: $after (DATE or NULL, exclusive), $through (DATE, inclusive).
-- Grain: one row per topic that has feedback, in 4Ps order then lead quality, other.
SELECT f.topic,
       count(*) AS items,
       count(*) FILTER (WHERE f.sentiment < 0) AS negative,
       count(*) FILTER (WHERE f.sentiment = 0) AS neutral,
       count(*) FILTER (WHERE f.sentiment > 0) AS positive,
       avg(f.sentiment) AS net_sentiment,
       count(DISTINCT f.campaign_id) AS campaigns
FROM feedback AS f
WHERE ($after IS NULL OR f.created_at >= CAST($after AS DATE) + INTERVAL 1 DAY)
  AND f.created_at < CAST($through AS DATE) + INTERVAL 1 DAY
GROUP BY f.topic
ORDER BY list_position(['product', 'price', 'place', 'promotion', 'lead_quality', 'other'], f.topic)
