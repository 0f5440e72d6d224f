-- Derived table: Rows missing the rows they should come with (the schema's foreign keys already refuse ids that do not
-- exist; these are the gaps it cannot see). No parameters. Grain: check.
-- Built once per data_version (queries/derived.py); `position` keeps the order of the checks.
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
    WHERE l.campaign_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM touches AS t WHERE t.lead_id = l.lead_id)
)
