-- In insert mode, every staged row whose key is already in the database. Rendered: <key_text>, <key_field>.
-- No parameters. Reads temp tables ingest_typed, ingest_existing. Grain: file row.
SELECT s._row AS row, '{key_field}' AS field, {key_text} AS value,
       'id already in the database; choose mode upsert to update it' AS problem
FROM ingest_typed AS s
SEMI JOIN ingest_existing AS e ON e._row = s._row
