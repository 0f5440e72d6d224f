-- Derived table: Empty values in the fields dashboards join or filter on: per table and column, the empty rows and their share.
-- No parameters. Grain: table × column.
-- Built once per data_version (queries/derived.py); `position` keeps the order of the checks.
SELECT row_number() OVER () AS position, *
FROM (
    WITH counts AS (
        SELECT 'leads' AS table_name, 'owner_rep_id' AS column_name, count(*) FILTER (WHERE owner_rep_id IS NULL) AS empty_rows,
               count(*) AS rows, 'lead not assigned to a rep' AS meaning FROM leads
        UNION ALL SELECT 'leads', 'campaign_id', count(*) FILTER (WHERE campaign_id IS NULL), count(*),
                  'inbound lead (no source campaign)' FROM leads
        UNION ALL SELECT 'leads', 'mql_at', count(*) FILTER (WHERE mql_at IS NULL), count(*), 'never became an MQL' FROM leads
        UNION ALL SELECT 'deals', 'lead_id', count(*) FILTER (WHERE lead_id IS NULL), count(*),
                  'deal sourced by sales (no lead)' FROM deals
        UNION ALL SELECT 'deals', 'close_date', count(*) FILTER (WHERE close_date IS NULL), count(*),
                  'open deal without an expected close date' FROM deals
        UNION ALL SELECT 'deals', 'product', count(*) FILTER (WHERE product IS NULL), count(*), 'no product' FROM deals
        UNION ALL SELECT 'campaigns', 'owner', count(*) FILTER (WHERE owner IS NULL), count(*), 'no marketing owner'
                  FROM campaigns
        UNION ALL SELECT 'feedback', 'campaign_id', count(*) FILTER (WHERE campaign_id IS NULL), count(*),
                  'feedback not tied to a campaign' FROM feedback
    )
    SELECT table_name, column_name, empty_rows, rows,
           CASE WHEN rows = 0 THEN NULL ELSE empty_rows / rows END AS empty_share, meaning
    FROM counts
)
