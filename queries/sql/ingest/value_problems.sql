-- Every cell that breaks its column's rules: too long, required but empty, outside the vocabulary, not the
-- column's type, not finite, or below the minimum. Parameters: $max_field_chars, $date_format.
-- Reads temp table ingest_long. Grain: one row per bad cell.
SELECT _row AS row, column_name AS field, left(raw, 200) AS value,
       CASE
           WHEN length(raw) > $max_field_chars
               THEN 'the cell has ' || format('{:,}', length(raw)) || ' characters; at most '
                    || format('{:,}', $max_field_chars) || ' are allowed'
           WHEN value IS NULL AND required THEN 'required: the cell is empty'
           WHEN value IS NULL THEN NULL
           WHEN choices IS NOT NULL AND NOT list_contains(choices, lower(value))
               THEN 'not an allowed value; use one of: ' || array_to_string(choices, ', ')
                    || ' (or map it under [values.' || column_name || '])'
           WHEN kind = 'int' AND v_int IS NULL THEN 'not a whole number'
           WHEN kind = 'money' AND v_money IS NULL THEN 'not an amount (a number with at most 2 decimals)'
           WHEN kind = 'double' AND v_double IS NULL THEN 'not a number'
           WHEN kind = 'double' AND NOT isfinite(v_double) THEN 'not a finite number'
           WHEN kind IN ('date', 'month') AND v_date IS NULL THEN 'not a date in the format ' || $date_format
           WHEN kind = 'timestamp' AND v_ts IS NULL THEN 'not a date and time in the format ' || $date_format
           WHEN kind = 'bool' AND v_bool IS NULL THEN 'not true or false'
           WHEN min_value IS NOT NULL AND coalesce(CAST(v_int AS DOUBLE), CAST(v_money AS DOUBLE), v_double) < min_value
               THEN 'out of range: must be at least ' || CAST(min_value AS BIGINT)
       END AS problem
FROM ingest_long
WHERE problem IS NOT NULL
