-- Undo an upsert for one column: put back the previous value where it differs. Rendered: <table>, <column>,
-- <key_match>. Parameters: $batch_id.
UPDATE {table} AS t SET {column} = s.{column}
FROM import_previous_{table} AS s
WHERE s.replaced_by = $batch_id AND {key_match} AND t.{column} IS DISTINCT FROM s.{column}
