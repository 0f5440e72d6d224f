-- Rows breaking one cross-column rule of the table (rendered: <condition>, from the fixed spec).
-- Parameters: $field, $message. Reads temp table ingest_typed. Grain: file row.
SELECT _row AS row, $field AS field, NULL AS value, $message AS problem
FROM ingest_typed
WHERE NOT coalesce(({condition}), TRUE)
