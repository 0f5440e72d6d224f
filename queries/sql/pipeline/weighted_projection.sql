-- Returns this month's projection from booked revenue and weighted open pipeline at every grouping at once (each
-- team, each rep, all together: one scan of the deals instead of one per grouping): quota, booked_to_date,
-- attainment_to_date, open_this_month, weighted_pipeline, projected_weighted, open_deals, deals_without_amount.
-- Parameters: $as_of (DATE), $stages (VARCHAR[]) and $probabilities (DOUBLE[], same order: the configured
-- probability that an open deal in each stage closes won), $teams, $regions (VARCHAR[] or NULL = all; the rep's team
-- and region, 'Unassigned' for a rep without one).
-- level ('all' | 'rep' | 'team') and grp (the team, the rep_id, or 'all') name the group.
-- booked_to_date = won deals closed from the 1st of $as_of's month through $as_of. open_this_month = Σ amount of
-- deals open on $as_of (created by then, not closed by then; a deal without a created date counts when its stage
-- and close date say it is open) whose (expected) close_date is from $as_of to the month's last day;
-- open_deals counts those open deals, deals_without_amount the ones among them that have no amount (left out of
-- open_this_month and of the weighted figures). weighted_pipeline = Σ amount × probability of the deal's stage; a deal that has closed since $as_of (its
-- stage on $as_of is not recorded) counts at the mean of the stage probabilities. projected_weighted =
-- booked_to_date + weighted_pipeline. quota = this month's quota; attainment_to_date = booked_to_date / quota (NULL
-- without quota).
-- Grain: one row per (level, grp) with any quota, booking or open pipeline this month, ordered by level then grp.
WITH bounds AS (
    SELECT CAST($as_of AS DATE) AS as_of,
           CAST(date_trunc('month', CAST($as_of AS DATE)) AS DATE) AS month_start,
           last_day(CAST($as_of AS DATE)) AS month_end
),
probabilities AS (
    SELECT unnest(CAST($stages AS VARCHAR[])) AS stage, unnest(CAST($probabilities AS DOUBLE[])) AS probability
),
unknown_stage AS (
    SELECT avg(probability) AS probability FROM probabilities
),
scope AS (
    SELECT rep_id, coalesce(team, 'Unassigned') AS team
    FROM reps
    WHERE ($teams IS NULL OR list_contains(CAST($teams AS VARCHAR[]), coalesce(team, 'Unassigned')))
      AND ($regions IS NULL OR list_contains(CAST($regions AS VARCHAR[]), coalesce(region, 'Unassigned')))
),
this_month AS (
    SELECT d.owner_rep_id AS rep_id,
           CASE WHEN d.stage = 'won' AND d.close_date BETWEEN b.month_start AND b.as_of THEN d.amount END AS booked,
           (d.created_at IS NULL OR CAST(d.created_at AS DATE) <= b.as_of)
             AND (d.stage NOT IN ('won', 'lost') OR d.close_date > b.as_of)
             AND d.close_date BETWEEN b.as_of AND b.month_end AS is_open,
           d.amount,
           CASE WHEN d.stage IN ('won', 'lost') THEN u.probability ELSE coalesce(p.probability, u.probability) END
               AS probability
    FROM deals AS d
    CROSS JOIN bounds AS b
    CROSS JOIN unknown_stage AS u
    LEFT JOIN probabilities AS p ON p.stage = d.stage
    WHERE d.close_date BETWEEN b.month_start AND b.month_end
),
rep_deals AS (
    SELECT rep_id,
           sum(booked) AS booked,
           sum(amount) FILTER (WHERE is_open) AS open_amount,
           sum(CAST(amount AS DOUBLE) * probability) FILTER (WHERE is_open) AS weighted,
           count(*) FILTER (WHERE is_open) AS open_deals,
           count(*) FILTER (WHERE is_open AND amount IS NULL) AS deals_without_amount
    FROM this_month
    GROUP BY rep_id
),
rep_quota AS (
    SELECT q.rep_id, sum(q.amount) AS quota
    FROM quotas AS q
    JOIN bounds AS b ON q.month = b.month_start
    GROUP BY q.rep_id
),
per_rep AS (
    SELECT s.rep_id, s.team, q.rep_id IS NOT NULL AS has_quota, q.quota, d.booked, d.open_amount, d.weighted,
           d.open_deals, d.deals_without_amount
    FROM scope AS s
    LEFT JOIN rep_quota AS q USING (rep_id)
    LEFT JOIN rep_deals AS d USING (rep_id)
    WHERE q.rep_id IS NOT NULL OR d.rep_id IS NOT NULL
),
grouped AS (
    SELECT CASE WHEN grouping(team) = 0 THEN 'team' WHEN grouping(rep_id) = 0 THEN 'rep' ELSE 'all' END AS level,
           CASE WHEN grouping(team) = 0 THEN team WHEN grouping(rep_id) = 0 THEN rep_id ELSE 'all' END AS grp,
           CAST(sum(quota) AS DOUBLE) AS quota,
           CAST(coalesce(sum(booked), 0) AS DOUBLE) AS booked_to_date,
           CAST(coalesce(sum(open_amount), 0) AS DOUBLE) AS open_this_month,
           coalesce(sum(weighted), 0) AS weighted_pipeline,
           CAST(coalesce(sum(open_deals), 0) AS BIGINT) AS open_deals,
           CAST(coalesce(sum(deals_without_amount), 0) AS BIGINT) AS deals_without_amount
    FROM per_rep
    GROUP BY GROUPING SETS ((team), (rep_id), ())
    HAVING bool_or(has_quota) OR booked_to_date > 0 OR open_this_month > 0 OR deals_without_amount > 0
)
SELECT
    level,
    grp,
    quota,
    booked_to_date,
    formulas.attainment(booked_to_date, quota) AS attainment_to_date,
    open_this_month,
    weighted_pipeline,
    booked_to_date + weighted_pipeline AS projected_weighted,
    open_deals,
    deals_without_amount
FROM grouped
ORDER BY level, grp
