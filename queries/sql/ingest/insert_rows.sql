-- Insert one slice of new staged rows (those whose key the table does not have) tagged with the batch.
-- Rendered: <table>, <columns>. Parameters: $batch_id, $lo, $hi (file rows, half-open). Grain: file row.
INSERT INTO {table} ({columns}, batch_id)
SELECT {columns}, $batch_id
FROM ingest_typed AS s
WHERE s._row >= $lo AND s._row < $hi AND s._row NOT IN (SELECT _row FROM ingest_existing)
