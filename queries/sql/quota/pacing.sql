-- Returns this month's pacing for the calendar month containing $as_of at every grouping at once: each team, each
-- rep and all together (one scan of the deals instead of one per grouping).
-- Parameters: $as_of (DATE, counted as elapsed), $teams, $regions (VARCHAR[] or NULL = all: the reps by team and
-- region, 'Unassigned' for a rep without one, which is also the team it is grouped in).
-- level ('all' | 'rep' | 'team') and grp (the team, the rep_id, or 'all') name the group.
-- booked_to_date = won deals closed from the 1st through $as_of; expected_to_date = quota × days_elapsed /
-- days_in_month (the pacing line); projected = booked_to_date / days_elapsed × days_in_month (run rate);
-- required_per_day = what is still short of quota ÷ the days after $as_of (0 once quota is met, NULL when quota
-- is missing or no day is left). A group appears when one of its reps has a quota or a win this month.
-- Grain: one row per (level, grp), ordered by level then grp.
WITH bounds AS (
    SELECT CAST(date_trunc('month', CAST($as_of AS DATE)) AS DATE) AS month,
           CAST($as_of AS DATE) AS as_of,
           day(CAST($as_of AS DATE)) AS days_elapsed,
           day(last_day(CAST($as_of AS DATE))) AS days_in_month
),
scope AS (
    SELECT rep_id, coalesce(team, 'Unassigned') AS team
    FROM reps
    WHERE ($teams IS NULL OR list_contains(CAST($teams AS VARCHAR[]), coalesce(team, 'Unassigned')))
      AND ($regions IS NULL OR list_contains(CAST($regions AS VARCHAR[]), coalesce(region, 'Unassigned')))
),
rep_quota AS (
    SELECT q.rep_id, sum(q.amount) AS quota
    FROM quotas AS q
    JOIN bounds AS b ON q.month = b.month
    GROUP BY q.rep_id
),
rep_booked AS (
    SELECT d.owner_rep_id AS rep_id, sum(d.amount) AS booked
    FROM deals AS d
    JOIN bounds AS b ON d.close_date BETWEEN b.month AND b.as_of
    WHERE d.stage = 'won'
    GROUP BY d.owner_rep_id
),
per_rep AS (
    SELECT s.rep_id, s.team, q.quota, w.booked
    FROM scope AS s
    LEFT JOIN rep_quota AS q USING (rep_id)
    LEFT JOIN rep_booked AS w USING (rep_id)
    WHERE q.rep_id IS NOT NULL OR w.rep_id IS NOT NULL
),
grouped AS (
    SELECT CASE WHEN grouping(team) = 0 THEN 'team' WHEN grouping(rep_id) = 0 THEN 'rep' ELSE 'all' END AS level,
           CASE WHEN grouping(team) = 0 THEN team WHEN grouping(rep_id) = 0 THEN rep_id ELSE 'all' END AS grp,
           CAST(sum(quota) AS DOUBLE) AS quota,
           CAST(coalesce(sum(booked), 0) AS DOUBLE) AS booked_to_date
    FROM per_rep
    GROUP BY GROUPING SETS ((team), (rep_id), ())
    HAVING count(*) > 0
)
SELECT
    g.level,
    g.grp,
    g.quota,
    g.booked_to_date,
    g.quota * b.days_elapsed / b.days_in_month AS expected_to_date,
    g.booked_to_date / b.days_elapsed * b.days_in_month AS projected,
    CASE
        WHEN g.quota IS NULL THEN NULL
        WHEN g.booked_to_date >= g.quota THEN 0.0
        WHEN b.days_in_month = b.days_elapsed THEN NULL
        ELSE (g.quota - g.booked_to_date) / (b.days_in_month - b.days_elapsed)
    END AS required_per_day,
    b.days_elapsed,
    b.days_in_month
FROM grouped AS g
CROSS JOIN bounds AS b
ORDER BY g.level, g.grp
