-- Rows of another table referring to rows an undo would delete (rows the batch added, not ones it updated).
-- Rendered: <table>, <key_field>, <child>, <child_column>. Parameters: $batch_id. Grain: one row.
SELECT count(*) AS rows, string_agg(DISTINCT c.batch_id, ', ' ORDER BY c.batch_id) AS batches
FROM {child} AS c
WHERE c.{child_column} IN (
    SELECT p.{key_field} FROM {table} AS p
    WHERE p.batch_id = $batch_id
      AND p.{key_field} NOT IN (SELECT {key_field} FROM import_previous_{table} WHERE replaced_by = $batch_id)
)
