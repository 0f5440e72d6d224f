-- Inputs: campaign_spend, campaigns, deals, feedback, leads, reps
-- Summary table: Empty values in the fields dashboards join or filter on: per table and column, the empty rows and their share.
-- The optional columns of schema 3 are here too, each with what a missing value does: left out of a figure (which says how
-- many) or shown as Unassigned. No parameters. Grain: table × column.
-- Built once per data_version (queries/derived.py); `position` keeps the order of the checks.
SELECT row_number() OVER () AS position, *
FROM (
    WITH counts AS (
        SELECT 'leads' AS table_name, 'owner_rep_id' AS column_name, count(*) FILTER (WHERE owner_rep_id IS NULL) AS empty_rows,
               count(*) AS rows, 'lead not assigned to a rep' AS meaning FROM leads
        UNION ALL SELECT 'leads', 'campaign_id', count(*) FILTER (WHERE campaign_id IS NULL), count(*),
                  'inbound lead (no source campaign)' FROM leads
        UNION ALL SELECT 'leads', 'mql_at', count(*) FILTER (WHERE mql_at IS NULL), count(*), 'never became an MQL' FROM leads
        UNION ALL SELECT 'leads', 'created_at', count(*) FILTER (WHERE created_at IS NULL), count(*),
                  'lead in no cohort and no creation period (its later stages still count)' FROM leads
        UNION ALL SELECT 'leads', 'channel', count(*) FILTER (WHERE channel IS NULL), count(*),
                  'source channel unknown: shown as Unassigned' FROM leads
        UNION ALL SELECT 'leads', 'region', count(*) FILTER (WHERE region IS NULL), count(*),
                  'region unknown: shown as Unassigned' FROM leads
        UNION ALL SELECT 'leads', 'segment', count(*) FILTER (WHERE segment IS NULL), count(*),
                  'segment unknown: shown as Unassigned' FROM leads
        UNION ALL SELECT 'leads', 'contact_attempts', count(*) FILTER (WHERE contact_attempts IS NULL), count(*),
                  'attempts not recorded: left out of the average attempts' FROM leads
        UNION ALL SELECT 'deals', 'lead_id', count(*) FILTER (WHERE lead_id IS NULL), count(*),
                  'deal sourced by sales (no lead)' FROM deals
        UNION ALL SELECT 'deals', 'close_date', count(*) FILTER (WHERE close_date IS NULL), count(*),
                  'open deal without an expected close date' FROM deals
        UNION ALL SELECT 'deals', 'product', count(*) FILTER (WHERE product IS NULL), count(*), 'no product' FROM deals
        UNION ALL SELECT 'deals', 'amount', count(*) FILTER (WHERE amount IS NULL), count(*),
                  'value unknown: left out of pipeline sums and the win rate by value' FROM deals
        UNION ALL SELECT 'deals', 'created_at', count(*) FILTER (WHERE created_at IS NULL), count(*),
                  'deal in no creation period and no cycle time' FROM deals
        UNION ALL SELECT 'deals', 'segment', count(*) FILTER (WHERE segment IS NULL), count(*),
                  'segment unknown: shown as Unassigned' FROM deals
        UNION ALL SELECT 'deals', 'account', count(*) FILTER (WHERE account IS NULL), count(*), 'no buying company'
                  FROM deals
        UNION ALL SELECT 'reps', 'team', count(*) FILTER (WHERE team IS NULL), count(*),
                  'team unknown: shown as Unassigned' FROM reps
        UNION ALL SELECT 'reps', 'region', count(*) FILTER (WHERE region IS NULL), count(*),
                  'region unknown: shown as Unassigned' FROM reps
        UNION ALL SELECT 'campaigns', 'owner', count(*) FILTER (WHERE owner IS NULL), count(*), 'no marketing owner'
                  FROM campaigns
        UNION ALL SELECT 'campaigns', 'channel', count(*) FILTER (WHERE channel IS NULL), count(*),
                  'channel unknown: shown as Unassigned' FROM campaigns
        UNION ALL SELECT 'campaigns', 'objective', count(*) FILTER (WHERE objective IS NULL), count(*),
                  'in neither the brand nor the demand view' FROM campaigns
        UNION ALL SELECT 'campaigns', 'start_date or end_date',
                  count(*) FILTER (WHERE start_date IS NULL OR end_date IS NULL), count(*),
                  'flight dates incomplete: status unknown' FROM campaigns
        UNION ALL SELECT 'campaigns', 'budget', count(*) FILTER (WHERE budget IS NULL), count(*),
                  'no budget: left out of budget use' FROM campaigns
        UNION ALL SELECT 'campaign_spend', 'impressions', count(*) FILTER (WHERE impressions IS NULL), count(*),
                  'not reported: the day is left out of impressions and click-through rates' FROM campaign_spend
        UNION ALL SELECT 'campaign_spend', 'clicks', count(*) FILTER (WHERE clicks IS NULL), count(*),
                  'not reported: the day is left out of clicks and click-through rates' FROM campaign_spend
        UNION ALL SELECT 'feedback', 'campaign_id', count(*) FILTER (WHERE campaign_id IS NULL), count(*),
                  'feedback not tied to a campaign' FROM feedback
    )
    SELECT table_name, column_name, empty_rows, rows,
           CASE WHEN rows = 0 THEN NULL ELSE empty_rows / rows END AS empty_share, meaning
    FROM counts
)
