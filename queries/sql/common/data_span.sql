-- Returns the first and last day with any lead, deal or spend: the span the period filter offers.
-- No parameters. Grain: one row.
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
