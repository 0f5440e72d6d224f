-- Rows missing the rows they should come with (the schema's foreign keys already refuse ids that do not
-- exist; these are the gaps it cannot see). No parameters. Grain: check.
-- Read from the derived table health_orphans (rebuilt when data_version changes).
SELECT * EXCLUDE (position) FROM derived.health_orphans ORDER BY position
