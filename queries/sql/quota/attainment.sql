-- Returns quota, booked revenue and attainment per calendar month and group, for the months from the month of
-- $start through the month of $end (whole months: a deal counts in the month its close_date falls in).
-- Parameters: $start, $end (DATE), $by ('team' | 'rep' | 'all': what `grp` holds), $teams (VARCHAR[] or NULL = all).
-- booked = sum of amount of deals with stage 'won', credited to the owner rep and the rep's team;
-- attainment = booked / quota, NULL where the quota is missing or zero. A (month, group) appears when it has a
-- quota or a win; with a quota and no wins, booked is 0. Grain: one row per (month, grp).
WITH bounds AS (
    SELECT CAST(date_trunc('month', CAST($start AS DATE)) AS DATE) AS first_month,
           CAST(date_trunc('month', CAST($end AS DATE)) AS DATE) AS last_month
),
scope AS (
    SELECT rep_id,
           CASE $by WHEN 'team' THEN team WHEN 'rep' THEN rep_id ELSE 'all' END AS grp
    FROM reps
    WHERE $teams IS NULL OR list_contains(CAST($teams AS VARCHAR[]), team)
),
quota AS (
    SELECT q.month, s.grp, sum(q.amount) AS quota
    FROM quotas AS q
    JOIN scope AS s USING (rep_id)
    CROSS JOIN bounds AS b
    WHERE q.month BETWEEN b.first_month AND b.last_month
    GROUP BY q.month, s.grp
),
booked AS (
    SELECT CAST(date_trunc('month', d.close_date) AS DATE) AS month, s.grp, sum(d.amount) AS booked
    FROM deals AS d
    JOIN scope AS s ON s.rep_id = d.owner_rep_id
    CROSS JOIN bounds AS b
    WHERE d.stage = 'won'
      AND d.close_date >= b.first_month
      AND d.close_date < b.last_month + INTERVAL 1 MONTH
    GROUP BY 1, 2
)
SELECT
    month,
    grp,
    CAST(quota.quota AS DOUBLE) AS quota,
    CAST(coalesce(booked.booked, 0) AS DOUBLE) AS booked,
    CAST(coalesce(booked.booked, 0) AS DOUBLE) / CAST(nullif(quota.quota, 0) AS DOUBLE) AS attainment
FROM quota
FULL OUTER JOIN booked USING (month, grp)
ORDER BY month, grp
