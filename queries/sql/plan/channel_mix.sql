-- Returns each lead channel's recent share of leads and its run rate: leads, lead_share, leads_per_day.
-- Parameters: $window_start, $window_end (DATE, [start, end): the window plan/funnel_rates measured), $team (VARCHAR
-- or NULL; scoped as in plan/funnel_rates: leads owned by the team's reps, or unassigned in their regions). A lead
-- without a channel is in 'Unassigned'.
-- leads_per_day = leads created in the window / days in the window: the run rate a forecast multiplies by the
-- days of a month. Grain: one row per channel with leads in the window.
WITH scoped_leads AS (
    SELECT l.channel
    FROM derived.lead_facts AS l
    WHERE (l.created_at >= CAST($window_start AS DATE) AND l.created_at < CAST($window_end AS DATE))
      AND ($team IS NULL
           OR (l.owner_rep_id IS NOT NULL AND l.owner_team = $team)
           OR (l.owner_rep_id IS NULL
               AND list_contains((SELECT list(DISTINCT region) FROM reps WHERE coalesce(team, 'Unassigned') = $team),
                                 l.region)))
)
SELECT
    channel,
    count(*) AS leads,
    count(*) / sum(count(*)) OVER () AS lead_share,
    count(*) / date_diff('day', CAST($window_start AS DATE), CAST($window_end AS DATE)) AS leads_per_day
FROM scoped_leads
GROUP BY channel
ORDER BY channel
