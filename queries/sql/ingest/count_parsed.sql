-- How many sample date cells a list of formats parses. Parameters: $formats. Reads the registered ingest_dates
-- (value: a distinct cell text, cells: how many sampled cells hold it). Grain: one row.
SELECT coalesce(sum(cells) FILTER (WHERE try_strptime(value, $formats) IS NOT NULL), 0) AS parsed,
       coalesce(sum(cells), 0) AS cells
FROM ingest_dates
