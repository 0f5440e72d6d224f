-- Inputs: deals, feedback
-- Summary table: feedback notes that name a deal no deal row has, the last of the orphan checks (health_orphans
-- holds the others; queries/sql/health/orphans.sql reads both). Apart from them because feedback is written in
-- planning meetings: a new note rebuilds this table alone. No parameters. Grain: one row, position 100 (after
-- every check of health_orphans).
SELECT CAST(100 AS BIGINT) AS position, 'feedback on an unknown deal' AS check_name, 'feedback' AS table_name,
       count(*) AS rows, 'deal_id names no deal' AS meaning
FROM feedback AS f
WHERE f.deal_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM deals AS d WHERE d.deal_id = f.deal_id)
