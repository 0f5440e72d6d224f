-- Mark a batch undone, recording who undid it and when. Parameters: $batch_id, $undone_at, $undone_by.
UPDATE import_batches SET status = 'undone', undone_at = $undone_at, undone_by = $undone_by
WHERE batch_id = $batch_id
