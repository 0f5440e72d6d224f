-- Returns the $limit campaigns with the largest budget that started between $start and $end (any objective),
-- for marking launches on a time axis. Parameters: $start, $end (DATE), $limit (INTEGER).
-- Grain: one row per campaign, in start order.
SELECT campaign_id, name, objective, channel, start_date, end_date, CAST(budget AS DOUBLE) AS budget
FROM (
    SELECT *
    FROM campaigns
    WHERE start_date BETWEEN CAST(date_trunc('month', CAST($start AS DATE)) AS DATE) AND CAST($end AS DATE)
    ORDER BY budget DESC, campaign_id
    LIMIT $limit
)
ORDER BY start_date, campaign_id
