-- Returns how the deals closed in [$start, $end] performed by the owner rep's region and the deal's segment, from the
-- deals alone (for a company whose leads are not imported yet; every deal counts, with a lead or not): won_deals,
-- lost_deals, win rate (won ÷ closed deals), won_amount, average won amount and average cycle of the won deals (close
-- date − deal created, days). A deal whose rep has no region, or without a segment, is in 'Unassigned', which the
-- filters match too. Left out, and counted: won_without_created_date = the slice's won deals with no created date,
-- left out of avg_cycle_days (NULL when none has one).
-- Parameters: $start, $end (DATE, inclusive); $regions, $segments (VARCHAR[] or NULL = all).
-- Grain: one row per (region, segment) with a deal closed in the period, highest won amount first.
WITH closed AS (
    SELECT
        coalesce(r.region, 'Unassigned') AS region,
        coalesce(d.segment, 'Unassigned') AS segment,
        d.stage = 'won' AS won,
        d.amount,
        date_diff('day', CAST(d.created_at AS DATE), d.close_date) AS cycle_days
    FROM deals AS d
    LEFT JOIN reps AS r ON r.rep_id = d.owner_rep_id
    WHERE d.stage IN ('won', 'lost') AND d.close_date BETWEEN $start AND $end
      AND ($regions IS NULL OR list_contains($regions, coalesce(r.region, 'Unassigned')))
      AND ($segments IS NULL OR list_contains($segments, coalesce(d.segment, 'Unassigned')))
)
SELECT
    region,
    segment,
    count(*) FILTER (WHERE won) AS won_deals,
    count(*) FILTER (WHERE NOT won) AS lost_deals,
    formulas.win_rate(won_deals, lost_deals) AS win_rate,
    CAST(coalesce(sum(amount) FILTER (WHERE won), 0) AS DOUBLE) AS won_amount,
    CAST(avg(amount) FILTER (WHERE won) AS DOUBLE) AS avg_won_amount,
    CAST(avg(cycle_days) FILTER (WHERE won) AS DOUBLE) AS avg_cycle_days,
    count(*) FILTER (WHERE won AND cycle_days IS NULL) AS won_without_created_date
FROM closed
GROUP BY region, segment
ORDER BY won_amount DESC, region, segment
