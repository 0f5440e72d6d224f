-- Returns pipeline coverage over a horizon of whole months starting with the month of $as_of, at every grouping at
-- once (each team, each rep, all together: one scan of the deals instead of one per grouping): open_pipeline,
-- remaining_quota, coverage, required_coverage (plus quota, booked_to_date, win_rate behind them, and
-- open_deals and deals_without_amount).
-- Parameters: $as_of (DATE), $horizon_months (≥ 1: 1 = the rest of this month), $teams, $regions (VARCHAR[] or NULL
-- = all; the rep's team and region, 'Unassigned' for a rep without one), $trailing_months (the win-rate window),
-- $total_only (BOOLEAN: only the 'all' row, summed over the reps in scope at once; the planning meeting's scorecard
-- needs only that, and grouping 8,000 reps first was most of the time at scale 200). level ('all' | 'rep' | 'team')
-- and grp (the team, 'Unassigned' for reps without one, the rep_id, or 'all') name the group.
-- A deal is open on $as_of when created on or before it and not closed by it (stage open now, or won/lost with
-- close_date after $as_of); a deal without a created date counts when its stage and close date say it is open (when
-- it was created is unknown, not whether it is open). open_pipeline = Σ amount of open deals whose (expected)
-- close_date is from $as_of to the horizon's end; deals with no close date or one already past are not counted, and
-- open_deals counts those open deals of the horizon, deals_without_amount the ones among them that have no amount
-- (left out of open_pipeline and so of coverage). remaining_quota = quota of the horizon months − won deals closed from the 1st of this month through
-- $as_of, never below 0. coverage = open_pipeline / remaining_quota (NULL when nothing remains). required_coverage =
-- 1 / win_rate, win_rate = won / (won + lost) by count (every deal, with an amount or not) over deals closed in the
-- $trailing_months before $as_of (through $as_of).
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
    SELECT rep_id, coalesce(team, 'Unassigned') AS team, active
    FROM reps
    WHERE ($teams IS NULL OR list_contains(CAST($teams AS VARCHAR[]), coalesce(team, 'Unassigned')))
      AND ($regions IS NULL OR list_contains(CAST($regions AS VARCHAR[]), coalesce(region, 'Unassigned')))
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
closes AS (
    -- derived.deal_closes: the deals with a close date and a known owner (with the owner's team and region), sorted
    -- by close_date. open_in_horizon: open on $as_of and expected to close from $as_of to the horizon's end.
    SELECT d.owner_rep_id, d.stage, d.close_date, d.amount,
           (d.created_day IS NULL OR d.created_day <= b.as_of)
             AND (d.stage NOT IN ('won', 'lost') OR d.close_date > b.as_of)
             AND d.close_date >= b.as_of AND d.close_date < b.horizon_end AS open_in_horizon
    FROM derived.deal_closes AS d
    CROSS JOIN bounds AS b
    -- Every sum and count below needs a close date from the earlier of win_start and month_start on: skip the rest.
    -- Written on the parameters, not on bounds, so that DuckDB skips the row groups before it.
    WHERE d.close_date >= least(CAST(CAST($as_of AS DATE) - to_months(CAST($trailing_months AS INTEGER)) AS DATE),
                                CAST(date_trunc('month', CAST($as_of AS DATE)) AS DATE))
      AND (NOT $total_only OR $teams IS NULL OR list_contains(CAST($teams AS VARCHAR[]), d.owner_team))
      AND (NOT $total_only OR $regions IS NULL OR list_contains(CAST($regions AS VARCHAR[]), d.owner_region))
),
rep_deals AS (
    SELECT CASE WHEN $total_only THEN NULL ELSE d.owner_rep_id END AS rep_id,
           sum(d.amount) FILTER (WHERE d.stage = 'won' AND d.close_date BETWEEN b.month_start AND b.as_of) AS booked,
           sum(d.amount) FILTER (WHERE d.open_in_horizon) AS open_pipeline,
           count(*) FILTER (WHERE d.open_in_horizon) AS open_deals,
           count(*) FILTER (WHERE d.open_in_horizon AND d.amount IS NULL) AS deals_without_amount,
           count(*) FILTER (WHERE d.stage = 'won' AND d.close_date > b.win_start AND d.close_date <= b.as_of) AS won_n,
           count(*) FILTER (WHERE d.stage = 'lost' AND d.close_date > b.win_start AND d.close_date <= b.as_of)
               AS lost_n
    FROM closes AS d
    CROSS JOIN bounds AS b
    GROUP BY 1
),
per_rep AS (
    SELECT s.rep_id, s.team,
           s.active OR q.quota > 0 OR d.open_pipeline > 0 OR d.deals_without_amount > 0 AS shown_as_rep,
           coalesce(q.quota, 0) AS quota,
           coalesce(d.booked, 0) AS booked,
           coalesce(d.open_pipeline, 0) AS open_pipeline,
           coalesce(d.open_deals, 0) AS open_deals,
           coalesce(d.deals_without_amount, 0) AS deals_without_amount,
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
           CAST(sum(open_deals) AS BIGINT) AS open_deals,
           CAST(sum(deals_without_amount) AS BIGINT) AS deals_without_amount,
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
           CAST(coalesce(d.open_deals, 0) AS BIGINT),
           CAST(coalesce(d.deals_without_amount, 0) AS BIGINT),
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
    formulas.coverage(open_pipeline, greatest(quota - booked_to_date, 0)) AS coverage,
    formulas.required_coverage(won_n, lost_n) AS required_coverage,
    quota,
    booked_to_date,
    formulas.win_rate(won_n, lost_n) AS win_rate,
    open_deals,
    deals_without_amount
FROM grouped
ORDER BY level, grp
