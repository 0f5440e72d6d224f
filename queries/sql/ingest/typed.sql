-- The mapped file as the table's typed columns, plus p_<column>: what is wrong with each cell (NULL if nothing).
-- Rendered from the fixed spec: <in_columns>, <typed> (each column parsed by its kind), <checks> (required,
-- field length, vocabulary, type, finiteness, minimum). Parameters: $formats (date formats tried in order),
-- $max_field_chars, $date_format (for messages). Reads the registered Arrow ingest_stage. Grain: file row.
CREATE OR REPLACE TEMP TABLE ingest_typed AS
SELECT *, {checks}
FROM (SELECT _row, {in_columns}, {typed} FROM ingest_stage)
