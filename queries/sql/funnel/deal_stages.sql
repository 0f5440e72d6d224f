-- Returns the part of the funnel deals alone can show (for a company whose leads are not imported yet): the deals
-- created in [$start, $end] (opportunities) and the won ones. $mode 'cohort': of the deals created in the period, those
-- won by now; 'period': the deals won (closed won) in the period, whenever they were created, so the second stage can
-- outnumber the first. Every deal counts, with a lead or not (sales-sourced ones too).
-- region and team are the owner rep's, segment the deal's; 'Unassigned' where unknown, which the filters match too.
-- deals_without_created_date: the deals in the filters' scope with no created date, in no period's opportunities (the
-- same number on both rows; in period mode their wins count).
-- Parameters: $start, $end (DATE, inclusive); $mode ('cohort', 'period'); $regions, $segments, $teams (VARCHAR[] or
-- NULL = all). Grain: one row per stage (opportunity, won), in funnel order.
WITH scoped AS (
    SELECT d.created_at, d.stage, d.close_date,
           d.created_at >= $start AND d.created_at < $end + INTERVAL 1 DAY AS created_in_period
    FROM deals AS d
    LEFT JOIN reps AS r ON r.rep_id = d.owner_rep_id
    WHERE ($regions IS NULL OR list_contains($regions, coalesce(r.region, 'Unassigned')))
      AND ($segments IS NULL OR list_contains($segments, coalesce(d.segment, 'Unassigned')))
      AND ($teams IS NULL OR list_contains($teams, coalesce(r.team, 'Unassigned')))
),
counts AS (
    SELECT
        count(*) FILTER (WHERE created_in_period) AS opportunity,
        CASE $mode WHEN 'cohort' THEN count(*) FILTER (WHERE created_in_period AND stage = 'won')
                   ELSE count(*) FILTER (WHERE stage = 'won' AND close_date BETWEEN $start AND $end) END AS won,
        count(*) FILTER (WHERE created_at IS NULL) AS undated
    FROM scoped
)
SELECT
    s.stage,
    CASE s.stage WHEN 'opportunity' THEN c.opportunity ELSE c.won END AS count,
    CASE s.stage WHEN 'won' THEN c.won / nullif(c.opportunity, 0) END AS step_conversion,
    c.undated AS deals_without_created_date
FROM (VALUES (1, 'opportunity'), (2, 'won')) AS s (ord, stage)
CROSS JOIN counts AS c
ORDER BY s.ord
