-- Returns this month's pacing per group for the calendar month containing $as_of.
-- Parameters: $as_of (DATE, counted as elapsed), $by ('team' | 'rep' | 'all': what `grp` holds),
-- $teams (VARCHAR[] or NULL = all).
-- booked_to_date = won deals closed from the 1st through $as_of; expected_to_date = quota × days_elapsed /
-- days_in_month (the pacing line); projected = booked_to_date / days_elapsed × days_in_month (run rate);
-- required_per_day = what is still short of quota ÷ the days after $as_of (0 once quota is met, NULL when quota
-- is missing or no day is left). A group appears when it has a quota or a win this month.
-- Grain: one row per grp.
WITH bounds AS (
    SELECT CAST(date_trunc('month', CAST($as_of AS DATE)) AS DATE) AS month,
           CAST($as_of AS DATE) AS as_of,
           day(CAST($as_of AS DATE)) AS days_elapsed,
           day(last_day(CAST($as_of AS DATE))) AS days_in_month
),
scope AS (
    SELECT rep_id,
           CASE $by WHEN 'team' THEN team WHEN 'rep' THEN rep_id ELSE 'all' END AS grp
    FROM reps
    WHERE $teams IS NULL OR list_contains(CAST($teams AS VARCHAR[]), team)
),
quota AS (
    SELECT s.grp, sum(q.amount) AS quota
    FROM quotas AS q
    JOIN scope AS s USING (rep_id)
    JOIN bounds AS b ON q.month = b.month
    GROUP BY s.grp
),
booked AS (
    SELECT s.grp, sum(d.amount) AS booked_to_date
    FROM deals AS d
    JOIN scope AS s ON s.rep_id = d.owner_rep_id
    JOIN bounds AS b ON d.close_date BETWEEN b.month AND b.as_of
    WHERE d.stage = 'won'
    GROUP BY s.grp
),
joined AS (
    SELECT grp,
           CAST(quota.quota AS DOUBLE) AS quota,
           CAST(coalesce(booked.booked_to_date, 0) AS DOUBLE) AS booked_to_date
    FROM quota
    FULL OUTER JOIN booked USING (grp)
)
SELECT
    j.grp,
    j.quota,
    j.booked_to_date,
    j.quota * b.days_elapsed / b.days_in_month AS expected_to_date,
    j.booked_to_date / b.days_elapsed * b.days_in_month AS projected,
    CASE
        WHEN j.quota IS NULL THEN NULL
        WHEN j.booked_to_date >= j.quota THEN 0.0
        WHEN b.days_in_month = b.days_elapsed THEN NULL
        ELSE (j.quota - j.booked_to_date) / (b.days_in_month - b.days_elapsed)
    END AS required_per_day,
    b.days_elapsed,
    b.days_in_month
FROM joined AS j
CROSS JOIN bounds AS b
ORDER BY j.grp
