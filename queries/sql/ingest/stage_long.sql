-- The staged file in long form, each cell cleaned, value-mapped, defaulted and parsed as its column's kind.
-- Parameters: $null_values (cell texts meaning "empty"), $formats (date/time formats tried in order),
-- $decimal ('.' or ','). Reads temp tables ingest_stage, ingest_spec, ingest_values. Grain: file row × column.
CREATE OR REPLACE TEMP TABLE ingest_long AS
WITH cells AS (
    FROM ingest_stage UNPIVOT INCLUDE NULLS (raw FOR column_name IN (COLUMNS(* EXCLUDE (_row))))
), mapped AS (
    SELECT c._row, c.column_name, c.raw, s.kind, s.required, s.choices, s.min_value, s.ref_table,
           coalesce(
               CASE WHEN v.source_value IS NOT NULL THEN nullif(trim(v.target_value), '')
                    WHEN trim(c.raw) = '' OR list_contains($null_values, trim(c.raw)) THEN NULL
                    ELSE trim(c.raw) END,
               s.default_value) AS value
    FROM cells AS c
    JOIN ingest_spec AS s USING (column_name)
    LEFT JOIN ingest_values AS v ON v.column_name = c.column_name AND v.source_value = lower(trim(c.raw))
), numbers AS (
    SELECT *,
           CASE WHEN kind IN ('int', 'money', 'double') THEN
               CASE WHEN $decimal = ','
                    THEN replace(replace(regexp_replace(value, '[\s$€£¥]', '', 'g'), '.', ''), ',', '.')
                    ELSE replace(regexp_replace(value, '[\s$€£¥]', '', 'g'), ',', '') END
           END AS number_text
    FROM mapped
)
SELECT _row, column_name, raw, value, kind, required, choices, min_value, ref_table,
       CASE WHEN kind = 'text' THEN CASE WHEN choices IS NULL THEN value ELSE lower(value) END END AS v_text,
       CASE WHEN kind = 'int' THEN TRY_CAST(number_text AS BIGINT) END AS v_int,
       CASE WHEN kind = 'money' THEN TRY_CAST(number_text AS DECIMAL(14, 2)) END AS v_money,
       CASE WHEN kind = 'double' THEN TRY_CAST(number_text AS DOUBLE) END AS v_double,
       CASE WHEN kind = 'date' THEN CAST(coalesce(try_strptime(value, $formats), TRY_CAST(value AS TIMESTAMP)) AS DATE)
            WHEN kind = 'month'
            THEN CAST(date_trunc('month', coalesce(try_strptime(value, $formats), TRY_CAST(value AS TIMESTAMP))) AS DATE)
       END AS v_date,
       CASE WHEN kind = 'timestamp' THEN coalesce(try_strptime(value, $formats), TRY_CAST(value AS TIMESTAMP)) END AS v_ts,
       CASE WHEN kind = 'bool' THEN TRY_CAST(value AS BOOLEAN) END AS v_bool
FROM numbers
