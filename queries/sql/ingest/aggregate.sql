-- Rows sharing a key combined into one: numbers summed, other columns from the first row (option aggregate = "sum").
-- Rendered from the fixed spec: <key>, <aggregates>. No parameters. Grain: key.
CREATE OR REPLACE TEMP TABLE ingest_combined AS
SELECT min(_row) AS _row, {key}, {aggregates}, FALSE AS _bad
FROM ingest_typed
GROUP BY {key};
DROP TABLE ingest_typed;
ALTER TABLE ingest_combined RENAME TO ingest_typed
