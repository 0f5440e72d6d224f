-- Every import batch, newest first: table, source file, rows, time, who, status, and who undid it when.
-- No parameters. Grain: batch.
SELECT batch_id, table_name, source_name, row_count, imported_at, imported_by, status, undone_at, undone_by
FROM import_batches
ORDER BY imported_at DESC, batch_id DESC
