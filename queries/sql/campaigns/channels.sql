-- Every campaign channel, with how many campaigns use it (queries.campaigns.channels). No parameters.
-- Grain: one row per channel.
SELECT channel, count(*) AS campaigns
FROM campaigns
GROUP BY channel
ORDER BY channel;
