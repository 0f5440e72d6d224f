-- How many sample date cells each candidate format parses, every format in one pass over the sample.
-- Rendered: <parsed>, one `coalesce(sum(cells) FILTER (WHERE CASE WHEN <guard> THEN try_strptime(value,
-- $format_<i>) END IS NOT NULL), 0)` per candidate (DuckDB wants each format list a constant); the guard skips
-- cells that cannot be in the format (no $separator_<i>; not `lettered` for a month name). Parameters:
-- $format_<i>, the list of formats try_strptime tries for candidate i (the date alone, then with a time of day),
-- $separator_<i>. Reads the registered ingest_dates (value: a distinct cell text, cells: how many sampled cells
-- hold it). Grain: one row, a column per candidate.
SELECT {parsed}
FROM (SELECT value, cells, regexp_matches(value, '[A-Za-z]') AS lettered FROM ingest_dates)
