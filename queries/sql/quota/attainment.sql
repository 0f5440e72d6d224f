-- Returns quota, booked revenue and attainment per period and group, for the periods from the one containing
-- $start through the one containing $end (whole periods: a deal counts in the period its close_date falls in).
-- Parameters: $start, $end (DATE), $by ('team' | 'rep' | 'all': what `grp` holds; a rep without a team counts in
-- 'Unassigned'), $teams, $regions (VARCHAR[] or NULL = all: the reps by team and region, 'Unassigned' for a rep
-- without one), $grain ('month' | 'fiscal_quarter'), $fiscal_start (1–12, the month the fiscal year starts; used by
-- quarters).
-- booked = sum of amount of deals with stage 'won', credited to the owner rep and the rep's team;
-- attainment = booked / quota, NULL where the quota is missing or zero. A (period, group) appears when it has a
-- quota or a win; with a quota and no wins, booked is 0. `month` is the period's first month.
-- Grain: one row per (period, grp).
WITH calendar AS (
    -- Every calendar month near the range, with the first month of the period it belongs to.
    SELECT CAST(m AS DATE) AS month,
           CAST(m - to_months(CASE $grain WHEN 'month' THEN 0
                                          ELSE (month(m) - CAST($fiscal_start AS INTEGER) + 12) % 12 % 3 END)
                AS DATE) AS period
    FROM range(date_trunc('month', CAST($start AS DATE)) - INTERVAL 2 MONTH,
               date_trunc('month', CAST($end AS DATE)) + INTERVAL 3 MONTH, INTERVAL 1 MONTH) AS t(m)
),
bounds AS (
    SELECT min(period) FILTER (WHERE month = date_trunc('month', CAST($start AS DATE))) AS first_period,
           min(period) FILTER (WHERE month = date_trunc('month', CAST($end AS DATE))) AS last_period
    FROM calendar
),
periods AS (
    SELECT c.month, c.period
    FROM calendar AS c, bounds AS b
    WHERE c.period BETWEEN b.first_period AND b.last_period
),
scope AS (
    SELECT rep_id,
           CASE $by WHEN 'team' THEN coalesce(team, 'Unassigned') WHEN 'rep' THEN rep_id ELSE 'all' END AS grp
    FROM reps
    WHERE ($teams IS NULL OR list_contains(CAST($teams AS VARCHAR[]), coalesce(team, 'Unassigned')))
      AND ($regions IS NULL OR list_contains(CAST($regions AS VARCHAR[]), coalesce(region, 'Unassigned')))
),
quota AS (
    SELECT p.period AS month, s.grp, sum(q.amount) AS quota
    FROM quotas AS q
    JOIN periods AS p USING (month)
    JOIN scope AS s USING (rep_id)
    GROUP BY 1, 2
),
booked AS (
    -- derived.rep_month_booked: won revenue per owner rep and close month.
    SELECT p.period AS month, s.grp, sum(w.booked) AS booked
    FROM derived.rep_month_booked AS w
    JOIN periods AS p ON p.month = w.month
    JOIN scope AS s ON s.rep_id = w.rep_id
    GROUP BY 1, 2
)
SELECT
    month,
    grp,
    CAST(quota.quota AS DOUBLE) AS quota,
    CAST(coalesce(booked.booked, 0) AS DOUBLE) AS booked,
    formulas.attainment(coalesce(booked.booked, 0), quota.quota) AS attainment
FROM quota
FULL OUTER JOIN booked USING (month, grp)
ORDER BY month, grp
