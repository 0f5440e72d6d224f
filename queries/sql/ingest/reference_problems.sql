-- Cells of one reference column naming a row the referenced table does not have (anti-join).
-- Rendered from the fixed spec: <column>, <ref_table>, <ref_key>. No parameters. Grain: one row per bad cell.
SELECT s._row AS row, '{column}' AS field, s.{column} AS value,
       'unknown {ref_table} id: no row in {ref_table} has it (import {ref_table} first)' AS problem
FROM ingest_typed AS s
ANTI JOIN {ref_table} AS r ON r.{ref_key} = s.{column}
WHERE s.{column} IS NOT NULL
