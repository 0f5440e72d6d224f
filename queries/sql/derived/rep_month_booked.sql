-- Inputs: deals
-- Summary table: won revenue per owner rep and close month, so monthly attainment (quota/attainment.sql,
-- deals/reps_at_quota.sql) sums a few rows per rep instead of scanning every deal. No parameters.
-- Grain: one row per (rep_id, month) with a won deal; rep_id is deals.owner_rep_id (NULL for an unowned deal), month
-- the first day of the close_date's month (NULL without a close date). booked = Σ amount of those won deals.
SELECT
    owner_rep_id AS rep_id,
    CAST(date_trunc('month', close_date) AS DATE) AS month,
    CAST(sum(amount) AS DECIMAL(18, 2)) AS booked
FROM deals
WHERE stage = 'won'
GROUP BY ALL
ORDER BY month, rep_id
