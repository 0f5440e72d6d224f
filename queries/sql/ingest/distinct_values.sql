-- The most frequent distinct values of one staged column, for mapping values to a vocabulary.
-- Parameters: $column (a table column name, compared as a value). Reads temp table ingest_long. Grain: value.
SELECT trim(raw) AS source_value, count(*) AS rows
FROM ingest_long
WHERE column_name = $column AND raw IS NOT NULL AND trim(raw) <> ''
GROUP BY ALL
ORDER BY rows DESC, source_value
LIMIT 200
