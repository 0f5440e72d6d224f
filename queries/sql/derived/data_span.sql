-- Inputs: campaign_spend, deals, leads
-- Summary table: the first and last day with any lead, deal or spend (queries.common.data_span), kept so the shell
-- does not scan the fact tables on every page's first view. No parameters. Grain: one row (NULLs on empty tables).
SELECT
    least(
        (SELECT min(CAST(created_at AS DATE)) FROM leads),
        (SELECT min(day) FROM campaign_spend),
        (SELECT min(CAST(created_at AS DATE)) FROM deals)
    ) AS first_day,
    greatest(
        (SELECT max(CAST(created_at AS DATE)) FROM leads),
        (SELECT max(day) FROM campaign_spend),
        (SELECT max(close_date) FROM deals WHERE stage IN ('won', 'lost'))
    ) AS last_day
