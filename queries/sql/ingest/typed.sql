-- The staged rows as the table's typed columns (rendered: {pivot} lists each column of the fixed spec).
-- No parameters. Reads temp table ingest_long. Grain: file row.
CREATE OR REPLACE TEMP TABLE ingest_typed AS
SELECT _row, {pivot}
FROM ingest_long
GROUP BY _row
