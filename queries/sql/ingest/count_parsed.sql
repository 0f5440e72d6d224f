-- How many sample date cells a list of formats parses. Parameters: $formats. Reads temp table ingest_dates.
-- Grain: one row.
SELECT count(*) FILTER (WHERE try_strptime(value, $formats) IS NOT NULL) AS parsed, count(*) AS cells
FROM ingest_dates
