-- Removes one target before it is written again (delete + insert replaces a row the same way on DuckDB and on
-- Postgres, which ON CONFLICT through DuckDB's postgres extension does not). Runs inside the save's transaction.
-- Parameters: $month (DATE), $metric, $team. Grain: at most one row of targets.
DELETE FROM targets
WHERE month = CAST($month AS DATE) AND metric = $metric AND team = $team
