-- Derived table: credit of every attribution model at the default settings (derived.attribution_settings), summed
-- per day and campaign, so a page sums a few thousand rows for any period instead of crediting every deal again.
-- No parameters. Grain: one row per (basis, day, campaign_id, model); campaign_id NULL = unattributed.
-- channel: the campaign's (NULL when unattributed), so per-channel sums need no join.
-- basis 'won': won deals by close_date (day); basis 'pipeline': deals of any stage by the day they were created.
-- credit DECIMAL: sum of the deals' credit (per deal and model it sums to the amount, to the cent); deals: deals
-- giving the campaign any credit that day (a deal falls on one day per basis, so days add up).
-- The weights are those of queries/sql/attribution/credit_macro.sql, which computes the same credit for any
-- settings (tests/unit/test_attribution.py compares the two on every model and basis).
-- Sorted by basis, model, day so a period's filter skips the other row groups.
WITH raw AS (
    SELECT deal_id, stage, close_date, created_day, amount, campaign_id, pos,
           CAST(pos = 1 AS DOUBLE) AS first_touch,
           CAST(pos = n AS DOUBLE) AS last_touch,
           1.0 / n AS linear,
           CAST(pos = 1 AS INTEGER) * u_first + CAST(pos = n AS INTEGER) * u_last
             + CASE WHEN pos > 1 AND pos < n THEN u_middle / (n - 2) ELSE 0 END AS u_shaped,
           CAST(pos = 1 AS INTEGER) * w_first + CAST(pos = n AS INTEGER) * w_last
             + CASE WHEN mql_pos IS NULL THEN (CAST(pos = 1 AS INTEGER) + CAST(pos = n AS INTEGER)) * w_mql / 2
                    WHEN pos = mql_pos THEN w_mql ELSE 0 END
             + CASE WHEN pos NOT IN (1, n) AND pos IS DISTINCT FROM mql_pos
                    THEN w_rest / (n - 1 - CAST(n > 1 AS INTEGER)
                                   - CAST(mql_pos IS NOT NULL AND mql_pos NOT IN (1, n) AS INTEGER))
                    ELSE 0 END AS w_shaped,
           pow(2.0, -days_after_latest / half_life_days) AS time_decay
    FROM derived.attribution_touch_positions
    CROSS JOIN derived.attribution_settings
    WHERE pos IS NOT NULL
),
long AS (
    UNPIVOT raw ON first_touch, last_touch, linear, u_shaped, w_shaped, time_decay
    INTO NAME model VALUE raw_weight
),
weighted AS (
    SELECT deal_id, stage, close_date, created_day, model, campaign_id, pos, amount,
           raw_weight / sum(raw_weight) OVER (PARTITION BY deal_id, model) AS weight
    FROM long
),
rounded AS (
    SELECT *,
           CAST(round(CAST(amount AS DOUBLE) * weight, 2) AS DECIMAL(18, 2)) AS cents,
           row_number() OVER (PARTITION BY deal_id, model ORDER BY weight DESC, pos) AS weight_rank
    FROM weighted
),
credited AS (
    -- The rounding remainder of each deal goes to its highest-weighted touch, so credit sums to the amount.
    SELECT deal_id, stage, close_date, created_day, model, campaign_id, weight,
           CAST(cents + CASE WHEN weight_rank = 1
                             THEN CAST(amount AS DECIMAL(18, 2)) - sum(cents) OVER (PARTITION BY deal_id, model)
                             ELSE 0 END AS DECIMAL(18, 2)) AS credit
    FROM rounded
),
per_deal AS (
    SELECT deal_id, stage, close_date, created_day, model, campaign_id, credit
    FROM credited
    WHERE weight > 0
    UNION ALL
    SELECT deal_id, stage, close_date, created_day, m.model, NULL AS campaign_id,
           CAST(amount AS DECIMAL(18, 2)) AS credit
    FROM derived.attribution_touch_positions
    CROSS JOIN (VALUES ('first_touch'), ('last_touch'), ('linear'), ('u_shaped'), ('w_shaped'), ('time_decay'))
        AS m(model)
    WHERE pos IS NULL
)
SELECT 'won' AS basis, close_date AS day, per_deal.campaign_id, c.channel, model, CAST(sum(credit) AS DECIMAL(18, 2)) AS credit,
       count(DISTINCT deal_id) AS deals
FROM per_deal
LEFT JOIN campaigns c ON c.campaign_id = per_deal.campaign_id
WHERE stage = 'won' AND close_date IS NOT NULL
GROUP BY ALL
UNION ALL
SELECT 'pipeline' AS basis, created_day AS day, per_deal.campaign_id, c.channel, model, CAST(sum(credit) AS DECIMAL(18, 2)) AS credit,
       count(DISTINCT deal_id) AS deals
FROM per_deal
LEFT JOIN campaigns c ON c.campaign_id = per_deal.campaign_id
GROUP BY ALL
ORDER BY basis, model, day
