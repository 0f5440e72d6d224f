-- Returns this month's projection per group from booked revenue and weighted open pipeline:
-- quota, booked_to_date, attainment_to_date, open_this_month, weighted_pipeline, projected_weighted.
-- Parameters: $as_of (DATE), $stages (VARCHAR[]) and $probabilities (DOUBLE[], same order: the configured
-- probability that an open deal in each stage closes won), $by ('team' | 'rep' | 'all'), $teams (VARCHAR[] or NULL).
-- booked_to_date = won deals closed from the 1st of $as_of's month through $as_of. open_this_month = deals open on
-- $as_of (created by then, not closed by then) whose (expected) close_date is from $as_of to the month's last day.
-- weighted_pipeline = Σ amount × probability of the deal's stage; a deal that has closed since $as_of (its stage on
-- $as_of is not recorded) counts at the mean of the stage probabilities. projected_weighted = booked_to_date +
-- weighted_pipeline. quota = this month's quota; attainment_to_date = booked_to_date / quota (NULL without quota).
-- Grain: one row per grp with any quota, booking or open pipeline this month.
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
    SELECT rep_id,
           CASE $by WHEN 'team' THEN team WHEN 'rep' THEN rep_id ELSE 'all' END AS grp
    FROM reps
    WHERE $teams IS NULL OR list_contains(CAST($teams AS VARCHAR[]), team)
),
this_month AS (
    SELECT s.grp,
           CASE WHEN d.stage = 'won' AND d.close_date BETWEEN b.month_start AND b.as_of THEN d.amount END AS booked,
           CASE WHEN CAST(d.created_at AS DATE) <= b.as_of
                 AND (d.stage NOT IN ('won', 'lost') OR d.close_date > b.as_of)
                 AND d.close_date BETWEEN b.as_of AND b.month_end THEN d.amount END AS open_amount,
           CASE WHEN d.stage IN ('won', 'lost') THEN u.probability ELSE coalesce(p.probability, u.probability) END
               AS probability
    FROM deals AS d
    JOIN scope AS s ON s.rep_id = d.owner_rep_id
    CROSS JOIN bounds AS b
    CROSS JOIN unknown_stage AS u
    LEFT JOIN probabilities AS p ON p.stage = d.stage
    WHERE d.close_date BETWEEN b.month_start AND b.month_end
),
grouped AS (
    SELECT grp,
           CAST(coalesce(sum(booked), 0) AS DOUBLE) AS booked_to_date,
           CAST(coalesce(sum(open_amount), 0) AS DOUBLE) AS open_this_month,
           coalesce(sum(CAST(open_amount AS DOUBLE) * probability), 0) AS weighted_pipeline
    FROM this_month
    GROUP BY grp
),
with_quota AS (
    SELECT s.grp, sum(q.amount) AS quota
    FROM quotas AS q
    JOIN scope AS s USING (rep_id)
    JOIN bounds AS b ON q.month = b.month_start
    GROUP BY s.grp
),
groups AS (
    SELECT grp FROM grouped WHERE booked_to_date > 0 OR open_this_month > 0
    UNION
    SELECT grp FROM with_quota
)
SELECT
    k.grp,
    CAST(wq.quota AS DOUBLE) AS quota,
    coalesce(g.booked_to_date, 0) AS booked_to_date,
    coalesce(g.booked_to_date, 0) / CAST(nullif(wq.quota, 0) AS DOUBLE) AS attainment_to_date,
    coalesce(g.open_this_month, 0) AS open_this_month,
    coalesce(g.weighted_pipeline, 0) AS weighted_pipeline,
    coalesce(g.booked_to_date, 0) + coalesce(g.weighted_pipeline, 0) AS projected_weighted
FROM groups AS k
LEFT JOIN grouped AS g USING (grp)
LEFT JOIN with_quota AS wq USING (grp)
ORDER BY k.grp
