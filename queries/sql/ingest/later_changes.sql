-- Rows of a batch that a later upsert replaced (their previous version names this batch). Rendered: <table>.
-- Parameters: $batch_id. Grain: replacing batch.
SELECT replaced_by, count(*) AS rows
FROM import_previous_{table}
WHERE batch_id = $batch_id
GROUP BY replaced_by
ORDER BY replaced_by
