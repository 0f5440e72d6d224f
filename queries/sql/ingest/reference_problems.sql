-- Cells naming a rep, campaign, lead or deal that the database does not have (anti-join on every key).
-- No parameters. Reads temp table ingest_long. Grain: one row per unknown reference.
WITH known AS (
    SELECT 'reps' AS table_name, rep_id AS key FROM reps
    UNION ALL SELECT 'campaigns', campaign_id FROM campaigns
    UNION ALL SELECT 'leads', lead_id FROM leads
    UNION ALL SELECT 'deals', deal_id FROM deals
)
SELECT l._row AS row, l.column_name AS field, left(l.raw, 200) AS value,
       'unknown ' || l.ref_table || ' id: no row in ' || l.ref_table || ' has it (import ' || l.ref_table
       || ' first)' AS problem
FROM ingest_long AS l
ANTI JOIN known AS k ON k.table_name = l.ref_table AND k.key = l.v_text
WHERE l.ref_table IS NOT NULL AND l.v_text IS NOT NULL
