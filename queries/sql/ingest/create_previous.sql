-- The side table keeping the previous version of rows an upsert replaced, so undo can restore them.
-- Rendered: <table>. No parameters. Same columns as the table plus replaced_by (the batch that replaced them).
CREATE TABLE IF NOT EXISTS import_previous_{table} AS
SELECT *, CAST(NULL AS VARCHAR) AS replaced_by FROM {table} LIMIT 0
