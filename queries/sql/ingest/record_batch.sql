-- Record one committed import. Parameters: $batch_id, $table_name, $source_name, $row_count, $imported_at,
-- $imported_by.
INSERT INTO import_batches (batch_id, table_name, source_name, row_count, imported_at, imported_by, status)
VALUES ($batch_id, $table_name, $source_name, $row_count, $imported_at, $imported_by, 'committed')
