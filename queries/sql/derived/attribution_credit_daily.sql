-- Inputs: campaigns, derived.attribution_settings, derived.attribution_touch_positions
-- Summary table: credit of every attribution model at the default settings (derived.attribution_settings), summed
-- per day and campaign, so a page sums a few thousand rows for any period instead of crediting every deal again.
-- No parameters. Grain: one row per (basis, day, campaign_id, model); campaign_id NULL = unattributed.
-- channel: the campaign's ('Unassigned' for a campaign without one; NULL when unattributed), so per-channel sums
-- need no join. A deal without a created date has no eligible touch (none can be placed before it): unattributed,
-- and in no 'pipeline' day. Credit of a deal without an amount is NULL (left out of the sums).
-- basis 'won': won deals by close_date (day); basis 'pipeline': deals of any stage by the day they were created.
-- credit DECIMAL: sum of the deals' credit (per deal and model it sums to the amount, to the cent); deals: deals
-- giving the campaign any credit that day (a deal falls on one day per basis, so days add up).
-- The weighting, normalising and rounding are formulas.touch_credit (queries/sql/formulas.sql), which
-- queries/sql/attribution/credit_macro.sql calls for any settings (tests/unit/test_attribution.py compares the two).
-- Sorted by basis, model, day so a period's filter skips the other row groups.
WITH positions AS (
    SELECT p.deal_id, p.amount, p.campaign_id, p.pos, p.n, p.mql_pos, p.days_after_latest, s.*
    FROM derived.attribution_touch_positions AS p
    CROSS JOIN derived.attribution_settings AS s
    WHERE p.pos IS NOT NULL
),
credited AS (
    SELECT c.deal_id, d.stage, d.close_date, d.created_day, c.model, c.campaign_id, c.credit
    FROM formulas.touch_credit('positions', half_life_days, u_first, u_middle, u_last, w_first, w_mql, w_last,
                               w_rest) AS c
    JOIN derived.attribution_touch_positions AS d ON d.deal_id = c.deal_id AND d.pos = 1
),
per_deal AS (
    -- One row per deal, model and campaign it credits (touches of the same campaign summed), with the channel.
    SELECT p.deal_id, p.stage, p.close_date, p.created_day, p.model, p.campaign_id,
           CASE WHEN p.campaign_id IS NOT NULL THEN coalesce(c.channel, 'Unassigned') END AS channel, p.credit
    FROM (
        SELECT deal_id, stage, close_date, created_day, model, campaign_id, sum(credit) AS credit
        FROM credited
        GROUP BY ALL
        UNION ALL
        SELECT deal_id, stage, close_date, created_day, m.model, NULL AS campaign_id,
               CAST(amount AS DECIMAL(18, 2)) AS credit
        FROM derived.attribution_touch_positions
        CROSS JOIN (VALUES ('first_touch'), ('last_touch'), ('linear'), ('u_shaped'), ('w_shaped'), ('time_decay'))
            AS m(model)
        WHERE pos IS NULL
    ) AS p
    LEFT JOIN campaigns AS c ON c.campaign_id = p.campaign_id
)
SELECT 'won' AS basis, close_date AS day, campaign_id, channel, model, CAST(sum(credit) AS DECIMAL(18, 2)) AS credit,
       count(*) AS deals
FROM per_deal
WHERE stage = 'won' AND close_date IS NOT NULL
GROUP BY ALL
UNION ALL
SELECT 'pipeline' AS basis, created_day AS day, campaign_id, channel, model,
       CAST(sum(credit) AS DECIMAL(18, 2)) AS credit, count(*) AS deals
FROM per_deal
GROUP BY ALL
ORDER BY basis, model, day
