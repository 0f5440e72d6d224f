-- For a table without a key (touches): no staged row can already exist. No parameters.
CREATE OR REPLACE TEMP TABLE ingest_existing (_row BIGINT)
