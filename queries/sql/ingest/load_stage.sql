-- Copy the registered Arrow tables (the mapped file, the column spec, the value mapping) into temp tables.
-- No parameters.
CREATE OR REPLACE TEMP TABLE ingest_stage AS FROM ingest_stage_arrow;
CREATE OR REPLACE TEMP TABLE ingest_spec AS FROM ingest_spec_arrow;
CREATE OR REPLACE TEMP TABLE ingest_values AS FROM ingest_values_arrow
