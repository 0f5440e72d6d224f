-- The rows a batch wrote, as they are now (the rows it inserted and those an upsert updated), for the summary tables
-- to rebuild only what it changed (queries.derived.note_write). Rendered: <table>. Parameters: $batch_id.
-- Grain: row.
SELECT * FROM {table} WHERE batch_id = $batch_id
