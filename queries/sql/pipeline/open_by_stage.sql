-- Returns the pipeline open on $as_of by expected close month and stage: deal_count, open_amount, weighted_amount,
-- deals_without_amount.
-- Parameters: $as_of (DATE), $stages (VARCHAR[]) and $probabilities (DOUBLE[], same order), $teams, $regions
-- (VARCHAR[] or NULL = all; the owner rep's team and region, 'Unassigned' for a rep without one).
-- Open on $as_of = created by then and not closed by then (stage open now, or closed after $as_of: shown as stage
-- 'closed since', weighted at the mean stage probability); a deal without a created date counts when its stage and
-- close date say it is open. close_month is NULL for deals with no expected close date; a close_month before
-- $as_of's month means the expected date has passed. deal_count counts every open deal; open_amount and
-- weighted_amount (amount × probability) sum those with an amount (0 when none has one), and deals_without_amount
-- counts the others. Grain: one row per (close_month, stage).
WITH probabilities AS (
    SELECT unnest(CAST($stages AS VARCHAR[])) AS stage, unnest(CAST($probabilities AS DOUBLE[])) AS probability
),
unknown_stage AS (
    SELECT avg(probability) AS probability FROM probabilities
),
open_deals AS (
    SELECT CAST(date_trunc('month', d.close_date) AS DATE) AS close_month,
           CASE WHEN d.stage IN ('won', 'lost') THEN 'closed since' ELSE d.stage END AS stage,
           d.amount,
           CASE WHEN d.stage IN ('won', 'lost') THEN u.probability ELSE coalesce(p.probability, u.probability) END
               AS probability
    FROM deals AS d
    JOIN reps AS r ON r.rep_id = d.owner_rep_id
    CROSS JOIN unknown_stage AS u
    LEFT JOIN probabilities AS p ON p.stage = d.stage
    WHERE ($teams IS NULL OR list_contains(CAST($teams AS VARCHAR[]), coalesce(r.team, 'Unassigned')))
      AND ($regions IS NULL OR list_contains(CAST($regions AS VARCHAR[]), coalesce(r.region, 'Unassigned')))
      AND (d.created_at IS NULL OR CAST(d.created_at AS DATE) <= CAST($as_of AS DATE))
      AND (d.stage NOT IN ('won', 'lost') OR d.close_date > CAST($as_of AS DATE))
)
SELECT
    close_month,
    stage,
    count(*) AS deal_count,
    CAST(coalesce(sum(amount), 0) AS DOUBLE) AS open_amount,
    coalesce(sum(CAST(amount AS DOUBLE) * probability), 0) AS weighted_amount,
    count(*) - count(amount) AS deals_without_amount
FROM open_deals
GROUP BY close_month, stage
ORDER BY close_month NULLS LAST, stage
