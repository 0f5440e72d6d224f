-- How many sample date cells each candidate format parses, every format in one pass over the sample.
-- Rendered: <parsed>, one `coalesce(sum(cells) FILTER (WHERE try_strptime(value, $format_<i>) IS NOT NULL), 0)`
-- per candidate (DuckDB wants each format list a constant). Parameters: $format_<i>, the list of formats
-- try_strptime tries for candidate i (the date alone, then with a time of day). Reads the registered ingest_dates
-- (value: a distinct cell text, cells: how many sampled cells hold it). Grain: one row, a column per candidate.
SELECT {parsed}
FROM ingest_dates
