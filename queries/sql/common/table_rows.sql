-- Returns how many rows each table of company data holds: what the pages can show and what is still to import.
-- No parameters. Grain: one row per table (every table, 0 when empty), in the order the import checklist follows.
SELECT 'reps' AS table_name, count(*) AS row_count FROM reps
UNION ALL SELECT 'deals', count(*) FROM deals
UNION ALL SELECT 'quotas', count(*) FROM quotas
UNION ALL SELECT 'campaigns', count(*) FROM campaigns
UNION ALL SELECT 'campaign_spend', count(*) FROM campaign_spend
UNION ALL SELECT 'leads', count(*) FROM leads
UNION ALL SELECT 'touches', count(*) FROM touches
UNION ALL SELECT 'brand_metrics', count(*) FROM brand_metrics
UNION ALL SELECT 'targets', count(*) FROM targets
UNION ALL SELECT 'feedback', count(*) FROM feedback
