-- Inputs: campaign_spend, campaigns, deals, leads, quotas, reps, touches
-- Summary table: Rows missing the rows they should come with, and ids of the fact tables that repeat or refer to
-- nothing (leads, touches and deals have no keys in the database: the import checks them, these count what a file
-- written by other means holds; the other tables' keys refuse such rows). No parameters. Grain: check.
-- Rebuilt after a write to a table it reads (queries/derived.py); `position` keeps the order of the checks. The
-- check of feedback is health_feedback_orphans, apart: a note typed in a meeting rebuilds that small table only,
-- not these scans of every lead, touch and deal.
-- `x NOT IN (SELECT key ...)` and not NOT EXISTS: the same rows here, since every key column it reads is NOT NULL
-- (leads.lead_id, touches.lead_id and campaign_id, the campaigns' and reps' primary keys) and each x is too or is
-- tested for NULL first, and DuckDB plans it as one hash join where NOT EXISTS (with OR) takes a slower, correlated
-- plan (slowest of all for the leads with an unknown campaign or owner).
SELECT row_number() OVER () AS position, *
FROM (
    SELECT 'campaigns without spend' AS check_name, 'campaigns' AS table_name, count(*) AS rows,
           'campaigns with no campaign_spend row: ROI and attribution show them as free' AS meaning
    FROM campaigns AS c
    WHERE NOT EXISTS (SELECT 1 FROM campaign_spend AS s WHERE s.campaign_id = c.campaign_id)
    UNION ALL
    SELECT 'spend outside flight dates', 'campaign_spend', count(*),
           'spend on days before the campaign started or after it ended'
    FROM campaign_spend AS s JOIN campaigns AS c USING (campaign_id)
    WHERE s.day < c.start_date OR s.day > c.end_date
    UNION ALL
    SELECT 'active reps without quota', 'reps', count(*), 'active reps with no quota row: team quotas are too low'
    FROM reps AS r
    WHERE r.active AND NOT EXISTS (SELECT 1 FROM quotas AS q WHERE q.rep_id = r.rep_id)
    UNION ALL
    SELECT 'leads without touches', 'leads', count(*),
           'campaign leads with no touch row: multi-touch attribution cannot credit them'
    FROM leads AS l
    WHERE l.campaign_id IS NOT NULL AND l.lead_id NOT IN (SELECT lead_id FROM touches)
    UNION ALL
    SELECT 'repeated lead ids', 'leads', count(*) - count(DISTINCT lead_id),
           'rows beyond the first for a lead_id: the funnel counts such a lead more than once'
    FROM leads
    UNION ALL
    SELECT 'repeated deal ids', 'deals', count(*) - count(DISTINCT deal_id),
           'rows beyond the first for a deal_id: revenue counts such a deal more than once'
    FROM deals
    UNION ALL
    SELECT 'leads with an unknown campaign or owner', 'leads', count(*),
           'campaign_id or owner_rep_id names no campaign or rep: those leads drop out of campaign and team views'
    FROM leads AS l
    WHERE (l.campaign_id IS NOT NULL AND l.campaign_id NOT IN (SELECT campaign_id FROM campaigns))
       OR (l.owner_rep_id IS NOT NULL AND l.owner_rep_id NOT IN (SELECT rep_id FROM reps))
    UNION ALL
    SELECT 'touches of an unknown lead or campaign', 'touches', count(*),
           'lead_id or campaign_id names no lead or campaign: attribution cannot credit those touches'
    FROM touches AS t
    WHERE t.lead_id NOT IN (SELECT lead_id FROM leads) OR t.campaign_id NOT IN (SELECT campaign_id FROM campaigns)
    UNION ALL
    SELECT 'deals with an unknown lead or owner', 'deals', count(*),
           'lead_id or owner_rep_id names no lead or rep: those deals drop out of the funnel or of quota'
    FROM deals AS d
    WHERE (d.lead_id IS NOT NULL AND d.lead_id NOT IN (SELECT lead_id FROM leads))
       OR d.owner_rep_id NOT IN (SELECT rep_id FROM reps)

)
