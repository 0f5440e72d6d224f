-- Mark a batch undone. Parameters: $batch_id.
UPDATE import_batches SET status = 'undone' WHERE batch_id = $batch_id
