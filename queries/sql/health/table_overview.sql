-- Per importable table: rows, rows from imports, date coverage (first and last date of its main date column,
-- the latest record), and the last committed import. No parameters. Grain: table.
-- Read from the summary table health_table_overview (rebuilt when data_version changes).
SELECT * EXCLUDE (position) FROM derived.health_table_overview ORDER BY position
