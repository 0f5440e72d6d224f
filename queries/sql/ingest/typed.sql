-- The mapped file as the table's typed columns, plus _bad: whether any cell of the row has a problem (the problems
-- themselves come from cell_problems, for bad rows only).
-- Rendered from the fixed spec: <in_columns>, <typed> (each column parsed by its kind), <any_problem> (required,
-- field length, vocabulary, type, finiteness, minimum), <columns>. Parameters: $formats (date formats tried in
-- order), $max_field_chars, $date_format (for messages). Reads the registered Arrow ingest_stage. Grain: file row.
CREATE OR REPLACE TEMP TABLE ingest_typed AS
SELECT _row, {columns}, {any_problem} AS _bad
FROM (SELECT _row, {in_columns}, {typed} FROM ingest_stage)
