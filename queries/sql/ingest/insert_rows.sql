-- Insert one slice of new staged rows (those whose key the table does not have) tagged with the batch.
-- Slices (for a progress bar; otherwise one slice) are rowid ranges of ingest_typed. Rendered: <table>, <columns>.
-- Parameters: $batch_id, $lo, $hi (rowids, half-open). Grain: file row.
INSERT INTO {table} ({columns}, batch_id)
SELECT {columns}, $batch_id
FROM ingest_typed AS s
WHERE s.rowid >= $lo AND s.rowid < $hi AND s._row NOT IN (SELECT _row FROM ingest_existing)
