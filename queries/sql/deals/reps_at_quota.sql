-- Returns, per month and team, how many reps had a quota and how many booked at least it (attainment ≥ 100 %).
-- Parameters: $start, $end (DATE: whole months from start's month to end's), $teams, $regions (VARCHAR[] or NULL =
-- all; the rep's team and region, 'Unassigned' for a rep without one, which is also the team it is counted in).
-- booked is defined as in quota/attainment.sql: won deals by close_date month, credited to the owner rep.
-- A rep counts in a month when their quota that month is above zero. share_at_quota = reps_at_quota /
-- reps_with_quota. Grain: one row per (month, team) with at least one rep with a quota.
WITH bounds AS (
    SELECT CAST(date_trunc('month', CAST($start AS DATE)) AS DATE) AS first_month,
           CAST(date_trunc('month', CAST($end AS DATE)) AS DATE) AS last_month
),
scope AS (
    SELECT rep_id, coalesce(team, 'Unassigned') AS team
    FROM reps
    WHERE ($teams IS NULL OR list_contains(CAST($teams AS VARCHAR[]), coalesce(team, 'Unassigned')))
      AND ($regions IS NULL OR list_contains(CAST($regions AS VARCHAR[]), coalesce(region, 'Unassigned')))
),
booked AS (
    -- derived.rep_month_booked: won revenue per owner rep and close month.
    SELECT rep_id, month, booked
    FROM derived.rep_month_booked
),
rep_months AS (
    SELECT q.month, s.team, q.amount AS quota, coalesce(b.booked, 0) AS booked
    FROM quotas AS q
    JOIN scope AS s USING (rep_id)
    CROSS JOIN bounds AS bd
    LEFT JOIN booked AS b ON b.rep_id = q.rep_id AND b.month = q.month
    WHERE q.month BETWEEN bd.first_month AND bd.last_month
      AND q.amount > 0
)
SELECT
    month,
    team,
    count(*) AS reps_with_quota,
    count(*) FILTER (WHERE booked >= quota) AS reps_at_quota,
    count(*) FILTER (WHERE booked >= quota) / count(*) AS share_at_quota
FROM rep_months
GROUP BY month, team
ORDER BY month, team
