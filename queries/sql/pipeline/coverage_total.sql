-- Returns pipeline coverage over a horizon of whole months starting with the month of $as_of for all the reps in
-- scope together: the 'all' row of pipeline/coverage.sql (same parameters, columns and rules; see there), without
-- grouping the deals per rep first. The planning meeting's scorecard needs only this total, and at scale 200 the
-- per-rep grouping over 8,000 reps was most of the query's time. tests/unit/test_pipeline.py checks that both give
-- the same row.
-- Grain: one row (level 'all', grp 'all') when a rep is in scope, none otherwise.
WITH bounds AS (
    SELECT CAST($as_of AS DATE) AS as_of,
           CAST(date_trunc('month', CAST($as_of AS DATE)) AS DATE) AS month_start,
           CAST(date_trunc('month', CAST($as_of AS DATE)) + to_months(CAST($horizon_months AS INTEGER)) AS DATE)
               AS horizon_end,
           CAST(CAST($as_of AS DATE) - to_months(CAST($trailing_months AS INTEGER)) AS DATE) AS win_start
),
scope AS (
    SELECT rep_id
    FROM reps
    WHERE $teams IS NULL OR list_contains(CAST($teams AS VARCHAR[]), team)
),
total_quota AS (
    SELECT sum(q.amount) AS quota
    FROM quotas AS q
    JOIN scope AS s USING (rep_id)
    CROSS JOIN bounds AS b
    WHERE q.month >= b.month_start AND q.month < b.horizon_end
),
total_deals AS (
    SELECT sum(d.amount) FILTER (WHERE d.stage = 'won' AND d.close_date BETWEEN b.month_start AND b.as_of) AS booked,
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
    WHERE d.close_date >= least(CAST(CAST($as_of AS DATE) - to_months(CAST($trailing_months AS INTEGER)) AS DATE),
                                CAST(date_trunc('month', CAST($as_of AS DATE)) AS DATE))
      AND ($teams IS NULL OR list_contains(CAST($teams AS VARCHAR[]), d.owner_team))
),
grouped AS (
    SELECT CAST(coalesce(q.quota, 0) AS DOUBLE) AS quota,
           CAST(coalesce(d.booked, 0) AS DOUBLE) AS booked_to_date,
           CAST(coalesce(d.open_pipeline, 0) AS DOUBLE) AS open_pipeline,
           d.won_n,
           d.lost_n
    FROM total_quota AS q
    CROSS JOIN total_deals AS d
    WHERE EXISTS (SELECT 1 FROM scope)
)
SELECT
    'all' AS level,
    'all' AS grp,
    open_pipeline,
    greatest(quota - booked_to_date, 0) AS remaining_quota,
    open_pipeline / nullif(greatest(quota - booked_to_date, 0), 0) AS coverage,
    (won_n + lost_n) / nullif(won_n, 0) AS required_coverage,
    quota,
    booked_to_date,
    won_n / nullif(won_n + lost_n, 0) AS win_rate
FROM grouped
