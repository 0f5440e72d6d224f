-- The previous version of the rows an upsert batch replaced, with the table's own columns (see batch_rows.sql).
-- Rendered: <table>. Parameters: $batch_id. Grain: replaced row.
SELECT * EXCLUDE (replaced_by) FROM import_previous_{table} WHERE replaced_by = $batch_id
