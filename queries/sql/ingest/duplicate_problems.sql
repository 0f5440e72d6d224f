-- Rows whose key repeats an earlier row of the same file. Rendered: <key>, <key_text>, <key_not_null>,
-- <key_field>. No parameters. Reads temp table ingest_typed. Grain: one row per repeat.
SELECT _row AS row, '{key_field}' AS field, key_text AS value,
       'duplicate id in the file: the same key is on row ' || first_row AS problem
FROM (
    SELECT _row, {key_text} AS key_text, min(_row) OVER (PARTITION BY {key}) AS first_row
    FROM ingest_typed
    WHERE {key_not_null}
)
WHERE _row > first_row
