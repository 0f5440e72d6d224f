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
-- The raw weights and the rounding to the cent are the macros of queries/sql/formulas.sql; the normalising and the
-- rounding remainder repeat queries/sql/attribution/credit_macro.sql, which computes the same credit for any settings
-- (tests/unit/test_attribution.py compares the two on every model and basis).
-- Each deal's touches are weighted for all six models side by side (one row per touch, a column per model), so
-- each deal's totals, rounding sums and highest-weighted touch come from two grouped passes over the touches, not
-- from three window passes over six times as many rows (the same rows, in less time).
-- Sorted by basis, model, day so a period's filter skips the other row groups.
WITH raw AS (
    SELECT deal_id, stage, close_date, created_day, amount, campaign_id, pos,
           CAST(pos = 1 AS DOUBLE) AS first_touch,
           CAST(pos = n AS DOUBLE) AS last_touch,
           1.0 / n AS linear,
           formulas.u_shaped_weight(pos, n, u_first, u_middle, u_last) AS u_shaped,
           formulas.w_shaped_weight(pos, n, mql_pos, w_first, w_mql, w_last, w_rest) AS w_shaped,
           formulas.time_decay_weight(days_after_latest, half_life_days) AS time_decay
    FROM derived.attribution_touch_positions
    CROSS JOIN derived.attribution_settings
    WHERE pos IS NOT NULL
),
totals AS (
    -- Per deal and model: the sum of the raw weights, and the largest (the touch that absorbs the rounding).
    SELECT deal_id,
           sum(first_touch) AS t_first_touch,
           sum(last_touch) AS t_last_touch,
           sum(linear) AS t_linear,
           sum(u_shaped) AS t_u_shaped,
           sum(w_shaped) AS t_w_shaped,
           sum(time_decay) AS t_time_decay,
           max(first_touch) AS x_first_touch,
           max(last_touch) AS x_last_touch,
           max(linear) AS x_linear,
           max(u_shaped) AS x_u_shaped,
           max(w_shaped) AS x_w_shaped,
           max(time_decay) AS x_time_decay
    FROM raw
    GROUP BY deal_id
),
weighted AS (
    SELECT raw.deal_id, stage, close_date, created_day, amount, campaign_id, pos,
           first_touch / t_first_touch AS w_first_touch,
           last_touch / t_last_touch AS w_last_touch,
           linear / t_linear AS w_linear,
           u_shaped / t_u_shaped AS w_u_shaped,
           w_shaped / t_w_shaped AS w_w_shaped,
           time_decay / t_time_decay AS w_time_decay,
           first_touch = x_first_touch AS top_first_touch,
           last_touch = x_last_touch AS top_last_touch,
           linear = x_linear AS top_linear,
           u_shaped = x_u_shaped AS top_u_shaped,
           w_shaped = x_w_shaped AS top_w_shaped,
           time_decay = x_time_decay AS top_time_decay
    FROM raw
    JOIN totals ON totals.deal_id = raw.deal_id
),
rounded AS (
    SELECT *,
           formulas.rounded_credit(amount, w_first_touch) AS c_first_touch,
           formulas.rounded_credit(amount, w_last_touch) AS c_last_touch,
           formulas.rounded_credit(amount, w_linear) AS c_linear,
           formulas.rounded_credit(amount, w_u_shaped) AS c_u_shaped,
           formulas.rounded_credit(amount, w_w_shaped) AS c_w_shaped,
           formulas.rounded_credit(amount, w_time_decay) AS c_time_decay
    FROM weighted
),
remainders AS (
    -- The rounding remainder of each deal goes to its highest-weighted touch (the first of equals), so credit sums
    -- to the amount.
    SELECT deal_id,
           CAST(any_value(amount) AS DECIMAL(18, 2)) - sum(c_first_touch) AS r_first_touch,
           CAST(any_value(amount) AS DECIMAL(18, 2)) - sum(c_last_touch) AS r_last_touch,
           CAST(any_value(amount) AS DECIMAL(18, 2)) - sum(c_linear) AS r_linear,
           CAST(any_value(amount) AS DECIMAL(18, 2)) - sum(c_u_shaped) AS r_u_shaped,
           CAST(any_value(amount) AS DECIMAL(18, 2)) - sum(c_w_shaped) AS r_w_shaped,
           CAST(any_value(amount) AS DECIMAL(18, 2)) - sum(c_time_decay) AS r_time_decay,
           min(pos) FILTER (WHERE top_first_touch) AS p_first_touch,
           min(pos) FILTER (WHERE top_last_touch) AS p_last_touch,
           min(pos) FILTER (WHERE top_linear) AS p_linear,
           min(pos) FILTER (WHERE top_u_shaped) AS p_u_shaped,
           min(pos) FILTER (WHERE top_w_shaped) AS p_w_shaped,
           min(pos) FILTER (WHERE top_time_decay) AS p_time_decay
    FROM rounded
    GROUP BY deal_id
),
credited_wide AS (
    SELECT r.deal_id, stage, close_date, created_day, campaign_id,
           w_first_touch, w_last_touch, w_linear, w_u_shaped, w_w_shaped, w_time_decay,
           CAST(c_first_touch + CASE WHEN pos = p_first_touch THEN r_first_touch ELSE 0 END
                AS DECIMAL(18, 2)) AS k_first_touch,
           CAST(c_last_touch + CASE WHEN pos = p_last_touch THEN r_last_touch ELSE 0 END
                AS DECIMAL(18, 2)) AS k_last_touch,
           CAST(c_linear + CASE WHEN pos = p_linear THEN r_linear ELSE 0 END
                AS DECIMAL(18, 2)) AS k_linear,
           CAST(c_u_shaped + CASE WHEN pos = p_u_shaped THEN r_u_shaped ELSE 0 END
                AS DECIMAL(18, 2)) AS k_u_shaped,
           CAST(c_w_shaped + CASE WHEN pos = p_w_shaped THEN r_w_shaped ELSE 0 END
                AS DECIMAL(18, 2)) AS k_w_shaped,
           CAST(c_time_decay + CASE WHEN pos = p_time_decay THEN r_time_decay ELSE 0 END
                AS DECIMAL(18, 2)) AS k_time_decay
    FROM rounded AS r
    JOIN remainders AS f ON f.deal_id = r.deal_id
),
credited AS (
    UNPIVOT credited_wide
    ON (w_first_touch, k_first_touch) AS first_touch,
       (w_last_touch, k_last_touch) AS last_touch,
       (w_linear, k_linear) AS linear,
       (w_u_shaped, k_u_shaped) AS u_shaped,
       (w_w_shaped, k_w_shaped) AS w_shaped,
       (w_time_decay, k_time_decay) AS time_decay
    INTO NAME model VALUE weight, credit
),
per_deal AS (
    -- One row per deal, model and campaign it credits (touches of the same campaign summed), with the channel.
    SELECT p.deal_id, p.stage, p.close_date, p.created_day, p.model, p.campaign_id,
           CASE WHEN p.campaign_id IS NOT NULL THEN coalesce(c.channel, 'Unassigned') END AS channel, p.credit
    FROM (
        SELECT deal_id, stage, close_date, created_day, model, campaign_id, sum(credit) AS credit
        FROM credited
        WHERE weight > 0
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
