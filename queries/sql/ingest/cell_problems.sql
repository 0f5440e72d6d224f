-- Every bad cell: the p_<column> problems of ingest_typed in long form (UNPIVOT drops the NULLs, i.e. good cells).
-- No parameters. Grain: one row per bad cell.
SELECT _row AS row, substr(field, 3) AS field, problem
FROM (FROM ingest_typed SELECT _row, COLUMNS('^p_'))
UNPIVOT (problem FOR field IN (COLUMNS('^p_')))
