-- Undo: drop the previous versions the batch kept, now restored. Rendered: <table>. Parameters: $batch_id.
DELETE FROM import_previous_{table} WHERE replaced_by = $batch_id
