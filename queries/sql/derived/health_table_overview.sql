-- Inputs: brand_metrics, campaign_spend, campaigns, deals, feedback, import_batches, leads, quotas, reps, targets, touches
-- Summary table: Per importable table: rows, rows from imports, date coverage (first and last date of its main date column,
-- the latest record), and the last committed import. No parameters. Grain: table.
-- Built once per data_version (queries/derived.py); `position` keeps the order of the checks.
SELECT row_number() OVER () AS position, *
FROM (
    WITH tables AS (
        SELECT 1 AS position, 'reps' AS table_name, count(*) AS rows, count(*) FILTER (WHERE batch_id <> 'sample') AS imported_rows,
               CAST(NULL AS DATE) AS first_date, CAST(NULL AS DATE) AS last_date FROM reps
        UNION ALL SELECT 2, 'campaigns', count(*), count(*) FILTER (WHERE batch_id <> 'sample'), min(start_date), max(start_date) FROM campaigns
        UNION ALL SELECT 3, 'campaign_spend', count(*), count(*) FILTER (WHERE batch_id <> 'sample'), min(day), max(day) FROM campaign_spend
        UNION ALL SELECT 4, 'brand_metrics', count(*), count(*) FILTER (WHERE batch_id <> 'sample'), min(month), max(month) FROM brand_metrics
        UNION ALL SELECT 5, 'leads', count(*), count(*) FILTER (WHERE batch_id <> 'sample'),
                  CAST(min(created_at) AS DATE), CAST(max(created_at) AS DATE) FROM leads
        UNION ALL SELECT 6, 'touches', count(*), count(*) FILTER (WHERE batch_id <> 'sample'),
                  CAST(min(touched_at) AS DATE), CAST(max(touched_at) AS DATE) FROM touches
        UNION ALL SELECT 7, 'deals', count(*), count(*) FILTER (WHERE batch_id <> 'sample'),
                  CAST(min(created_at) AS DATE), CAST(max(created_at) AS DATE) FROM deals
        UNION ALL SELECT 8, 'quotas', count(*), count(*) FILTER (WHERE batch_id <> 'sample'), min(month), max(month) FROM quotas
        UNION ALL SELECT 9, 'targets', count(*), count(*) FILTER (WHERE batch_id <> 'sample'), min(month), max(month) FROM targets
        UNION ALL SELECT 10, 'feedback', count(*), count(*) FILTER (WHERE batch_id <> 'sample'),
                  CAST(min(created_at) AS DATE), CAST(max(created_at) AS DATE) FROM feedback
    ), imports AS (
        SELECT table_name, count(*) AS imports, max(imported_at) AS last_import
        FROM import_batches
        WHERE status = 'committed'
        GROUP BY table_name
    )
    SELECT t.table_name, t.rows, t.imported_rows, t.first_date, t.last_date, coalesce(i.imports, 0) AS imports,
           i.last_import
    FROM tables AS t
    LEFT JOIN imports AS i USING (table_name)
    ORDER BY t.position
)
