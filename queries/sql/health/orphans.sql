-- Rows missing the rows they should come with (the schema's foreign keys already refuse ids that do not
-- exist; these are the gaps it cannot see). No parameters. Grain: check.
-- Read from the summary tables health_orphans and health_feedback_orphans (each rebuilt after a write to a table it
-- reads).
SELECT * EXCLUDE (position)
FROM (SELECT * FROM derived.health_orphans UNION ALL BY NAME SELECT * FROM derived.health_feedback_orphans)
ORDER BY position
