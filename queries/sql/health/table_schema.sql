-- The columns of one table as the database defines them. Parameters: $table. Grain: column.
SELECT column_name, data_type, is_nullable AS nullable, column_default AS default_value
FROM duckdb_columns()
WHERE schema_name = 'main' AND table_name = $table
ORDER BY column_index
