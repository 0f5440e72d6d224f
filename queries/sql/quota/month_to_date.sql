-- Returns revenue booked month to date against the month's quota, now and at the same point a month earlier.
-- Parameters: $as_of (DATE), $teams, $regions (VARCHAR[] or NULL = all: the reps by team and region, 'Unassigned'
-- for a rep without one).
-- period 'current': the 1st of as_of's month through as_of; 'previous': the 1st of the month before through
-- as_of − 1 month (clamped to that month's last day). quota is the whole month's; attainment_to_date =
-- booked_to_date / quota, NULL when the quota is missing or zero; attainment_change (current row only) =
-- current − previous attainment_to_date. Grain: one row per period.
WITH periods AS (
    SELECT 'current' AS period, CAST(date_trunc('month', CAST($as_of AS DATE)) AS DATE) AS month,
           CAST($as_of AS DATE) AS through
    UNION ALL
    SELECT 'previous', CAST(date_trunc('month', CAST($as_of AS DATE) - INTERVAL 1 MONTH) AS DATE),
           CAST(CAST($as_of AS DATE) - INTERVAL 1 MONTH AS DATE)
),
scope AS (
    SELECT rep_id
    FROM reps
    WHERE ($teams IS NULL OR list_contains(CAST($teams AS VARCHAR[]), coalesce(team, 'Unassigned')))
      AND ($regions IS NULL OR list_contains(CAST($regions AS VARCHAR[]), coalesce(region, 'Unassigned')))
),
quota AS (
    SELECT p.period, sum(q.amount) AS quota
    FROM periods AS p
    JOIN quotas AS q ON q.month = p.month
    JOIN scope USING (rep_id)
    GROUP BY p.period
),
booked AS (
    SELECT p.period, sum(d.amount) AS booked
    FROM periods AS p
    JOIN deals AS d ON d.stage = 'won' AND d.close_date BETWEEN p.month AND p.through
    JOIN scope AS s ON s.rep_id = d.owner_rep_id
    GROUP BY p.period
),
measured AS (
    SELECT p.period,
           p.month,
           p.through,
           CAST(q.quota AS DOUBLE) AS quota,
           CAST(coalesce(b.booked, 0) AS DOUBLE) AS booked_to_date,
           formulas.attainment(coalesce(b.booked, 0), q.quota) AS attainment_to_date
    FROM periods AS p
    LEFT JOIN quota AS q USING (period)
    LEFT JOIN booked AS b USING (period)
)
SELECT *,
       CASE WHEN period = 'current'
            THEN attainment_to_date - max(attainment_to_date) FILTER (WHERE period = 'previous') OVER ()
       END AS attainment_change
FROM measured
ORDER BY month DESC
