-- Every bad cell of the rows typed.sql marked _bad, in long form: the p_<column> problems (UNPIVOT drops the NULLs,
-- i.e. good cells). Rendered like typed.sql: <in_columns>, <typed>, <checks>. Parameters: $formats,
-- $max_field_chars, $date_format. Reads ingest_stage and ingest_typed. Grain: one row per bad cell.
SELECT _row AS row, substr(field, 3) AS field, problem
FROM (
    SELECT _row, {checks}
    FROM (
        SELECT s._row, {in_columns}, {typed}
        FROM (FROM ingest_stage AS s SEMI JOIN ingest_typed AS b ON b._row = s._row AND b._bad) AS s
    )
)
UNPIVOT (problem FOR field IN (COLUMNS('^p_')))
