-- Returns the SLA breaches: MQLs of [$start, $end] (mql_at in the period, and at or before the as-of day) with no
-- first contact by the end of the as-of day, whose age at that moment exceeds $sla_hours; with owner and age.
-- A lead sales rejected by then is handled (it needs no call) and is not a breach.
-- Parameters: $start, $end (DATE); $clock_at (TIMESTAMP: the end of the as-of day, a plain value so each test
-- below filters the scan itself); $sla_hours (DOUBLE); $regions, $segments, $teams (VARCHAR[] or NULL).
-- region, segment, channel and team (the owner's) are 'Unassigned' where unknown (derived.lead_facts), as the
-- filters name them. Grain: one row per lead, oldest first.
SELECT
    l.lead_id,
    l.company,
    l.region,
    l.segment,
    l.channel,
    l.owner_rep_id,
    r.name AS owner_name,
    l.owner_team AS team,
    l.mql_at,
    date_diff('second', l.mql_at, $clock_at) / 3600.0 AS age_hours,
    l.contact_attempts
FROM derived.mql_facts AS l
LEFT JOIN reps AS r ON r.rep_id = l.owner_rep_id
WHERE l.mql_at >= $start AND l.mql_at < $end + INTERVAL 1 DAY
  AND l.mql_at < $clock_at
  AND (l.first_contact_at IS NULL OR l.first_contact_at >= $clock_at)
  AND (l.rejected_at IS NULL OR l.rejected_at >= $clock_at)
  AND date_diff('second', l.mql_at, $clock_at) / 3600.0 > $sla_hours
  AND ($regions IS NULL OR list_contains($regions, l.region))
  AND ($segments IS NULL OR list_contains($segments, l.segment))
  AND ($teams IS NULL OR list_contains($teams, l.owner_team))
ORDER BY age_hours DESC, l.lead_id
