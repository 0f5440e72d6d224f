-- Undo: delete the rows the batch added (after restore_column gave updated rows back their old batch).
-- Rendered: <table>. Parameters: $batch_id.
DELETE FROM {table} WHERE batch_id = $batch_id
