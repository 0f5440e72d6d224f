-- Mark the existing rows an upsert updated as belonging to its batch. Rendered: <table>, <key_match>.
-- Parameters: $batch_id.
UPDATE {table} AS t SET batch_id = $batch_id
FROM ingest_typed AS s
WHERE {key_match}
