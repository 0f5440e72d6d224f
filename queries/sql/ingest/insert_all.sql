-- Insert every staged row tagged with the batch, in one statement: for a file none of whose keys the table has,
-- written without a progress bar (insert_rows is the sliced, filtered form). Rendered: <table>, <columns>.
-- Parameters: $batch_id. Grain: file row.
INSERT INTO {table} ({columns}, batch_id)
SELECT {columns}, $batch_id
FROM ingest_typed
