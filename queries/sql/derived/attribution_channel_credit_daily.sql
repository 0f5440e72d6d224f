-- Inputs: derived.attribution_credit_daily
-- Summary table: derived.attribution_credit_daily summed per channel: credit of every attribution model at the
-- default settings per (basis, day, channel, model); channel NULL = unattributed. No parameters.
-- Sorted by basis, day so a period's filter skips the other row groups.
SELECT basis, day, channel, model, CAST(sum(credit) AS DECIMAL(18, 2)) AS credit
FROM derived.attribution_credit_daily
GROUP BY ALL
ORDER BY basis, day, channel, model
