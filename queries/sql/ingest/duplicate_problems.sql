-- Rows whose key repeats an earlier row of the same file. Rendered: <key>, <key_text>, <key_not_null>,
-- <key_field>. No parameters. Reads temp table ingest_typed. Grain: one row per repeat.
-- One hash aggregate finds the repeated keys (normally none), so the join below has nothing to probe.
WITH repeated AS (
    SELECT {key}, min(_row) AS first_row
    FROM ingest_typed
    WHERE {key_not_null}
    GROUP BY {key}
    HAVING count(*) > 1
)
SELECT _row AS row, '{key_field}' AS field, {key_text} AS value,
       'duplicate id in the file: the same key is on row ' || first_row AS problem
FROM ingest_typed
JOIN repeated USING ({key})
WHERE _row > first_row
