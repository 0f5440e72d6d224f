-- Returns every known value of the shared filter dimensions, from the summary table (rebuilt when data changes).
-- No parameters. Grain: one row per (kind, value); 'Unassigned' (rows without a value) after the others.
SELECT kind, value FROM derived.dimension_values ORDER BY kind, value = 'Unassigned', value
