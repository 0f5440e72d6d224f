-- Empty values in the fields dashboards join or filter on: per table and column, the empty rows and their share.
-- No parameters. Grain: table × column.
-- Read from the summary table health_key_nulls (rebuilt when data_version changes).
SELECT * EXCLUDE (position) FROM derived.health_key_nulls ORDER BY position
