-- Inputs: deals, leads, reps
-- Summary table: every known value of the shared filter dimensions (regions, teams, segments), from reps, leads and
-- deals, with 'Unassigned' (queries.common.UNASSIGNED) for a dimension some row leaves empty: the filters offer it,
-- and it matches those rows. No parameters. Grain: one row per (kind, value).
SELECT 'region' AS kind, coalesce(region, 'Unassigned') AS value FROM reps
UNION SELECT 'region', coalesce(region, 'Unassigned') FROM leads
UNION SELECT 'team', coalesce(team, 'Unassigned') FROM reps
UNION SELECT 'segment', coalesce(segment, 'Unassigned') FROM leads
UNION SELECT 'segment', coalesce(segment, 'Unassigned') FROM deals
