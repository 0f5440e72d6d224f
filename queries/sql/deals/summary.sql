-- Returns won, lost and open deals per group: won_count, lost_count, win_rate, won_amount, avg_won_amount,
-- avg_cycle_days, open_count, open_amount, won_without_created_date, open_without_amount.
-- Parameters: $start, $end (DATE, inclusive), $by ('rep' | 'team' | 'all': what `grp` holds; a rep without a team is
-- in 'Unassigned'), $teams, $regions (VARCHAR[] or NULL = all; the rep's team and region, 'Unassigned' for none).
-- Won and lost deals count when their close_date is in [$start, $end]; win_rate = won / (won + lost) by count, NULL
-- when none closed; avg_cycle_days = mean of close_date − created_at (whole days) over those won deals that have a
-- created date (won_without_created_date counts the others, left out). open = stage not won/lost and created on or
-- before $end (or with no created date: when it was created is unknown, not whether it is open), whatever its
-- expected close date, also none; open_count counts every one, open_amount sums those with an amount and
-- open_without_amount counts the others (left out of it).
-- Grain: one row per grp; every rep in scope appears, also a rep with no deals (counts 0, rates NULL).
WITH scope AS (
    SELECT rep_id,
           CASE $by WHEN 'team' THEN coalesce(team, 'Unassigned') WHEN 'rep' THEN rep_id ELSE 'all' END AS grp
    FROM reps
    WHERE ($teams IS NULL OR list_contains(CAST($teams AS VARCHAR[]), coalesce(team, 'Unassigned')))
      AND ($regions IS NULL OR list_contains(CAST($regions AS VARCHAR[]), coalesce(region, 'Unassigned')))
),
flagged AS (
    SELECT s.grp,
           d.amount,
           date_diff('day', CAST(d.created_at AS DATE), d.close_date) AS cycle_days,
           d.stage = 'won' AND d.close_date BETWEEN CAST($start AS DATE) AND CAST($end AS DATE) AS is_won,
           d.stage = 'lost' AND d.close_date BETWEEN CAST($start AS DATE) AND CAST($end AS DATE) AS is_lost,
           d.stage NOT IN ('won', 'lost')
             AND (d.created_at IS NULL OR CAST(d.created_at AS DATE) <= CAST($end AS DATE)) AS is_open
    FROM scope AS s
    LEFT JOIN deals AS d ON d.owner_rep_id = s.rep_id
        -- only the deals a flag below can count: closed in the period, or still open
        AND (d.stage NOT IN ('won', 'lost') OR d.close_date BETWEEN CAST($start AS DATE) AND CAST($end AS DATE))
),
grouped AS (
    SELECT grp,
           count(*) FILTER (WHERE is_won) AS won_count,
           count(*) FILTER (WHERE is_lost) AS lost_count,
           sum(amount) FILTER (WHERE is_won) AS won_amount,
           avg(amount) FILTER (WHERE is_won) AS avg_won_amount,
           avg(cycle_days) FILTER (WHERE is_won) AS avg_cycle_days,
           count(*) FILTER (WHERE is_open) AS open_count,
           sum(amount) FILTER (WHERE is_open) AS open_amount,
           count(*) FILTER (WHERE is_won AND cycle_days IS NULL) AS won_without_created_date,
           count(*) FILTER (WHERE is_open AND amount IS NULL) AS open_without_amount
    FROM flagged
    GROUP BY grp
)
SELECT
    grp,
    won_count,
    lost_count,
    formulas.win_rate(won_count, lost_count) AS win_rate,
    CAST(coalesce(won_amount, 0) AS DOUBLE) AS won_amount,
    CAST(avg_won_amount AS DOUBLE) AS avg_won_amount,
    CAST(avg_cycle_days AS DOUBLE) AS avg_cycle_days,
    open_count,
    CAST(coalesce(open_amount, 0) AS DOUBLE) AS open_amount,
    won_without_created_date,
    open_without_amount
FROM grouped
ORDER BY grp
