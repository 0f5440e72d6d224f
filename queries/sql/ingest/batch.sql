-- One import batch by id. Parameters: $batch_id. Grain: batch.
SELECT batch_id, table_name, source_name, row_count, imported_at, imported_by, status
FROM import_batches
WHERE batch_id = $batch_id
