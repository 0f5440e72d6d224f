-- Upsert one column of existing rows, only where it changes (DuckDB refuses any update, even to the same
-- value, of a key column of a row other tables refer to). Rendered: <table>, <column>, <key_match>. No parameters.
UPDATE {table} AS t SET {column} = s.{column}
FROM ingest_typed AS s
WHERE {key_match} AND t.{column} IS DISTINCT FROM s.{column}
