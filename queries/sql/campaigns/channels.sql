-- Every campaign channel, with how many campaigns use it (queries.campaigns.channels); 'Unassigned' (last) counts
-- the campaigns without one. No parameters. Grain: one row per channel.
SELECT channel, count(*) AS campaigns
FROM (SELECT coalesce(channel, 'Unassigned') AS channel FROM campaigns)
GROUP BY channel
ORDER BY channel = 'Unassigned', channel;
