-- Returns pipeline coverage over a horizon of whole months starting with the month of $as_of, at every grouping at
-- once (each team, each rep, all together: one scan of the deals instead of one per grouping): open_pipeline,
-- remaining_quota, coverage, required_coverage (plus quota, booked_to_date, win_rate behind them).
-- Parameters: $as_of (DATE), $horizon_months (≥ 1: 1 = the rest of this month), $teams (VARCHAR[] or NULL = all),
-- $trailing_months (the win-rate window), $total_only (BOOLEAN: only the 'all' row, summed over the reps in scope at
-- once; the planning meeting's scorecard needs only that, and grouping 8,000 reps first was most of the time at
-- scale 200). level ('all' | 'rep' | 'team') and grp (the team, the rep_id, or 'all') name the group.
-- A deal is open on $as_of when created on or before it and not closed by it (stage open now, or won/lost with
-- close_date after $as_of). open_pipeline = open deals whose (expected) close_date is from $as_of to the horizon's
-- end; deals with no close date or one already past are not counted. remaining_quota = quota of the horizon months −
-- won deals closed from the 1st of this month through $as_of, never below 0. coverage = open_pipeline /
-- remaining_quota (NULL when nothing remains). required_coverage = 1 / win_rate, win_rate = won / (won + lost)
-- by count over deals closed in the $trailing_months before $as_of (through $as_of).
-- Grain: one row per (level, grp), ordered by level then grp; every team and the total with a rep in scope; at the
-- rep level, reps who left appear only with quota or pipeline in the horizon.
WITH bounds AS (
    SELECT CAST($as_of AS DATE) AS as_of,
           CAST(date_trunc('month', CAST($as_of AS DATE)) AS DATE) AS month_start,
           CAST(date_trunc('month', CAST($as_of AS DATE)) + to_months(CAST($horizon_months AS INTEGER)) AS DATE)
               AS horizon_end,
           CAST(CAST($as_of AS DATE) - to_months(CAST($trailing_months AS INTEGER)) AS DATE) AS win_start
),
scope AS (
    SELECT rep_id, team, active
    FROM reps
    WHERE $teams IS NULL OR list_contains(CAST($teams AS VARCHAR[]), team)
),
-- Per rep, or with $total_only one row for the reps in scope together (rep_id NULL).
rep_quota AS (
    SELECT CASE WHEN $total_only THEN NULL ELSE q.rep_id END AS rep_id, sum(q.amount) AS quota
    FROM quotas AS q
    CROSS JOIN bounds AS b
    WHERE q.month >= b.month_start AND q.month < b.horizon_end
      AND (NOT $total_only OR q.rep_id IN (SELECT rep_id FROM scope))
    GROUP BY 1
),
rep_deals AS (
    SELECT CASE WHEN $total_only THEN NULL ELSE d.owner_rep_id END AS rep_id,
           sum(d.amount) FILTER (WHERE d.stage = 'won' AND d.close_date BETWEEN b.month_start AND b.as_of) AS booked,
           sum(d.amount) FILTER (
               WHERE d.created_day <= b.as_of
                 AND (d.stage NOT IN ('won', 'lost') OR d.close_date > b.as_of)
                 AND d.close_date >= b.as_of AND d.close_date < b.horizon_end
           ) AS open_pipeline,
           count(*) FILTER (WHERE d.stage = 'won' AND d.close_date > b.win_start AND d.close_date <= b.as_of) AS won_n,
           count(*) FILTER (WHERE d.stage = 'lost' AND d.close_date > b.win_start AND d.close_date <= b.as_of)
               AS lost_n
    -- derived.deal_closes: the deals with a close date and a known owner (and the owner's team), sorted by close_date.
    FROM derived.deal_closes AS d
    CROSS JOIN bounds AS b
    -- Every sum and count below needs a close date from the earlier of win_start and month_start on: skip the rest.
    -- Written on the parameters, not on bounds, so that DuckDB skips the row groups before it.
    WHERE d.close_date >= least(CAST(CAST($as_of AS DATE) - to_months(CAST($trailing_months AS INTEGER)) AS DATE),
                                CAST(date_trunc('month', CAST($as_of AS DATE)) AS DATE))
      AND (NOT $total_only OR $teams IS NULL OR list_contains(CAST($teams AS VARCHAR[]), d.owner_team))
    GROUP BY 1
),
per_rep AS (
    SELECT s.rep_id, s.team,
           s.active OR q.quota > 0 OR d.open_pipeline > 0 AS shown_as_rep,
           coalesce(q.quota, 0) AS quota,
           coalesce(d.booked, 0) AS booked,
           coalesce(d.open_pipeline, 0) AS open_pipeline,
           coalesce(d.won_n, 0) AS won_n,
           coalesce(d.lost_n, 0) AS lost_n
    FROM scope AS s
    LEFT JOIN rep_quota AS q USING (rep_id)
    LEFT JOIN rep_deals AS d USING (rep_id)
    WHERE NOT $total_only
),
grouped AS (
    SELECT CASE WHEN grouping(team) = 0 THEN 'team' WHEN grouping(rep_id) = 0 THEN 'rep' ELSE 'all' END AS level,
           CASE WHEN grouping(team) = 0 THEN team WHEN grouping(rep_id) = 0 THEN rep_id ELSE 'all' END AS grp,
           CAST(sum(quota) AS DOUBLE) AS quota,
           CAST(sum(booked) AS DOUBLE) AS booked_to_date,
           CAST(sum(open_pipeline) AS DOUBLE) AS open_pipeline,
           sum(won_n) AS won_n,
           sum(lost_n) AS lost_n
    FROM per_rep
    GROUP BY GROUPING SETS ((team), (rep_id), ())
    HAVING count(*) > 0 AND (grouping(rep_id) = 1 OR bool_or(shown_as_rep))
    UNION ALL
    SELECT 'all', 'all',
           CAST(coalesce(q.quota, 0) AS DOUBLE),
           CAST(coalesce(d.booked, 0) AS DOUBLE),
           CAST(coalesce(d.open_pipeline, 0) AS DOUBLE),
           coalesce(d.won_n, 0),
           coalesce(d.lost_n, 0)
    FROM (SELECT 1) AS one
    LEFT JOIN rep_quota AS q ON true
    LEFT JOIN rep_deals AS d ON true
    WHERE $total_only AND EXISTS (SELECT 1 FROM scope)
)
SELECT
    level,
    grp,
    open_pipeline,
    greatest(quota - booked_to_date, 0) AS remaining_quota,
    open_pipeline / nullif(greatest(quota - booked_to_date, 0), 0) AS coverage,
    (won_n + lost_n) / nullif(won_n, 0) AS required_coverage,
    quota,
    booked_to_date,
    won_n / nullif(won_n + lost_n, 0) AS win_rate
FROM grouped
ORDER BY level, grp
