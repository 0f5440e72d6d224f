-- How many rows an upsert batch updated (their previous versions are kept). Rendered: <table>.
-- Parameters: $batch_id. Grain: one row.
SELECT count(*) FROM import_previous_{table} WHERE replaced_by = $batch_id
