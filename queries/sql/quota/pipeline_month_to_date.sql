-- Returns pipeline created month to date and the share marketing sourced, now and at the same point a month
-- earlier. Parameters: $as_of (DATE), $segments, $teams, $regions (VARCHAR[] or NULL = all; the deal's segment, and
-- the team and region of its owner rep; 'Unassigned' matches a deal or rep without one). Periods as in
-- month_to_date.sql. pipeline_created = Σ amount of deals created in the period (any stage); marketing_sourced =
-- those with a lead_id; marketing_share = marketing_sourced / pipeline_created, NULL when nothing was created. On
-- the current row only: pipeline_change = current / previous − 1 (NULL when the previous is 0) and share_change =
-- current − previous marketing_share. deals_created counts the period's deals in scope; the sums leave out deals
-- without an amount: deals_without_amount counts those among them that have none. deals_without_created_date: the deals in scope without a created date,
-- which no period holds (the same on both rows).
-- Grain: one row per period.
WITH periods AS (
    SELECT 'current' AS period, CAST(date_trunc('month', CAST($as_of AS DATE)) AS DATE) AS month,
           CAST($as_of AS DATE) AS through
    UNION ALL
    SELECT 'previous', CAST(date_trunc('month', CAST($as_of AS DATE) - INTERVAL 1 MONTH) AS DATE),
           CAST(CAST($as_of AS DATE) - INTERVAL 1 MONTH AS DATE)
),
scoped AS (
    SELECT d.*
    FROM deals AS d
    JOIN reps AS r ON r.rep_id = d.owner_rep_id
    -- Only the two periods' days: lets the scan skip row groups before the join (created_at is a timestamp).
    WHERE d.created_at >= CAST(date_trunc('month', CAST($as_of AS DATE) - INTERVAL 1 MONTH) AS DATE)
      AND d.created_at < CAST($as_of AS DATE) + INTERVAL 1 DAY
      AND ($segments IS NULL OR list_contains(CAST($segments AS VARCHAR[]), coalesce(d.segment, 'Unassigned')))
      AND ($teams IS NULL OR list_contains(CAST($teams AS VARCHAR[]), coalesce(r.team, 'Unassigned')))
      AND ($regions IS NULL OR list_contains(CAST($regions AS VARCHAR[]), coalesce(r.region, 'Unassigned')))
),
undated AS (
    -- The same scope's deals without a created date (a scan that skips the row groups holding none).
    SELECT count(*) AS deals
    FROM deals AS d
    JOIN reps AS r ON r.rep_id = d.owner_rep_id
    WHERE d.created_at IS NULL
      AND ($segments IS NULL OR list_contains(CAST($segments AS VARCHAR[]), coalesce(d.segment, 'Unassigned')))
      AND ($teams IS NULL OR list_contains(CAST($teams AS VARCHAR[]), coalesce(r.team, 'Unassigned')))
      AND ($regions IS NULL OR list_contains(CAST($regions AS VARCHAR[]), coalesce(r.region, 'Unassigned')))
),
created AS (
    SELECT p.period,
           sum(d.amount) AS pipeline_created,
           sum(d.amount) FILTER (WHERE d.lead_id IS NOT NULL) AS marketing_sourced,
           count(*) AS deals_created,
           count(*) - count(d.amount) AS deals_without_amount
    FROM periods AS p
    JOIN scoped AS d ON CAST(d.created_at AS DATE) BETWEEN p.month AND p.through
    GROUP BY p.period
),
measured AS (
    SELECT p.period,
           p.month,
           p.through,
           CAST(coalesce(c.pipeline_created, 0) AS DOUBLE) AS pipeline_created,
           CAST(coalesce(c.marketing_sourced, 0) AS DOUBLE) AS marketing_sourced,
           formulas.sourced_share(coalesce(c.marketing_sourced, 0), c.pipeline_created) AS marketing_share,
           coalesce(c.deals_created, 0) AS deals_created,
           coalesce(c.deals_without_amount, 0) AS deals_without_amount
    FROM periods AS p
    LEFT JOIN created AS c USING (period)
)
SELECT period, month, through, pipeline_created, marketing_sourced, marketing_share,
       CASE WHEN period = 'current'
            THEN pipeline_created / nullif(max(pipeline_created) FILTER (WHERE period = 'previous') OVER (), 0) - 1
       END AS pipeline_change,
       CASE WHEN period = 'current'
            THEN marketing_share - max(marketing_share) FILTER (WHERE period = 'previous') OVER ()
       END AS share_change,
       deals_created,
       deals_without_amount,
       (SELECT deals FROM undated) AS deals_without_created_date
FROM measured
ORDER BY month DESC
