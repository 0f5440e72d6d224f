-- Derived table: every known value of the shared filter dimensions (regions, teams, segments), from reps, leads and
-- deals. No parameters. Grain: one row per (kind, value).
SELECT 'region' AS kind, region AS value FROM reps
UNION SELECT 'region', region FROM leads
UNION SELECT 'team', team FROM reps
UNION SELECT 'segment', segment FROM leads
UNION SELECT 'segment', segment FROM deals
