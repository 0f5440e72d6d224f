-- The staged rows whose key the table already has (rendered: <table>, <key_match>). No parameters.
-- Grain: file row.
CREATE OR REPLACE TEMP TABLE ingest_existing AS
SELECT s._row
FROM ingest_typed AS s
WHERE EXISTS (SELECT 1 FROM {table} AS t WHERE {key_match})
