-- Returns, for every day of the month containing $as_of, the cumulative revenue booked per group (NULL after
-- $as_of) and the pacing line quota × day / days_in_month (NULL without a quota).
-- Parameters: $as_of (DATE), $by ('team' | 'rep' | 'all': what `grp` holds; a rep without a team counts in
-- 'Unassigned'), $teams, $regions (VARCHAR[] or NULL = all: the reps by team and region, 'Unassigned' for a rep
-- without one).
-- Groups as in pacing.sql (a quota or a win this month). Grain: one row per (grp, day).
WITH bounds AS (
    SELECT CAST(date_trunc('month', CAST($as_of AS DATE)) AS DATE) AS month,
           CAST($as_of AS DATE) AS as_of,
           day(last_day(CAST($as_of AS DATE))) AS days_in_month
),
days AS (
    SELECT CAST(d AS DATE) AS day
    FROM bounds AS b, range(b.month, last_day(b.month) + INTERVAL 1 DAY, INTERVAL 1 DAY) AS t(d)
),
scope AS (
    SELECT rep_id,
           CASE $by WHEN 'team' THEN coalesce(team, 'Unassigned') WHEN 'rep' THEN rep_id ELSE 'all' END AS grp
    FROM reps
    WHERE ($teams IS NULL OR list_contains(CAST($teams AS VARCHAR[]), coalesce(team, 'Unassigned')))
      AND ($regions IS NULL OR list_contains(CAST($regions AS VARCHAR[]), coalesce(region, 'Unassigned')))
),
quota AS (
    SELECT s.grp, sum(q.amount) AS quota
    FROM quotas AS q
    JOIN scope AS s USING (rep_id)
    JOIN bounds AS b ON q.month = b.month
    GROUP BY s.grp
),
won AS (
    SELECT s.grp, d.close_date AS day, sum(d.amount) AS booked
    FROM deals AS d
    JOIN scope AS s ON s.rep_id = d.owner_rep_id
    JOIN bounds AS b ON d.close_date BETWEEN b.month AND b.as_of
    WHERE d.stage = 'won'
    GROUP BY s.grp, d.close_date
),
groups AS (
    SELECT grp FROM quota UNION SELECT grp FROM won
)
SELECT g.grp,
       days.day,
       CASE WHEN days.day <= b.as_of THEN
           CAST(coalesce(sum(won.booked) OVER (PARTITION BY g.grp ORDER BY days.day), 0) AS DOUBLE)
       END AS booked_cumulative,
       CAST(q.quota AS DOUBLE) * day(days.day) / b.days_in_month AS expected_cumulative
FROM groups AS g
CROSS JOIN days
CROSS JOIN bounds AS b
LEFT JOIN quota AS q USING (grp)
LEFT JOIN won ON won.grp = g.grp AND won.day = days.day
ORDER BY g.grp, days.day
