-- Keep the current version of every row the upsert is about to replace. Rendered: <table>, <key_match>.
-- Parameters: $batch_id. Grain: replaced row.
INSERT INTO import_previous_{table}
SELECT t.*, $batch_id FROM {table} AS t
WHERE EXISTS (SELECT 1 FROM ingest_typed AS s WHERE {key_match})
