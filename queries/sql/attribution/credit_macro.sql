-- Defines the temporary table macros attribution_credit(...), the one place attribution weights are computed for
-- any settings, and attribution_credit_by_day(...) (at the end). Not a query by itself: queries.attribution runs it
-- on a cursor before a query that reads them. (derived/attribution_credit_daily.sql computes the same weights at
-- the default settings for every deal; a test keeps the two equal.)
-- Arguments: period_start, period_end (DATE); basis 'won' (won deals whose close_date is in the period) or
-- 'pipeline' (deals of any stage whose created_at is in the period); half_life_days (time decay, > 0);
-- the position weights of queries.attribution.MODELS (u_first, u_middle, u_last, w_first, w_mql, w_last, w_rest).
-- Returns one row per (deal, model, credited touch): deal_id, model, campaign_id (NULL = unattributed),
-- touch_position (1 = first eligible touch; NULL when unattributed), weight (sums to 1 per deal and model) and
-- credit DECIMAL(18,2) (sums to the deal's amount per deal and model, to the cent).
-- A touch is eligible when it belongs to the deal's lead and touched_at <= the deal's created_at.
-- Raw weights per model; every model's weights are then divided by their sum per deal, so a share whose
-- position does not exist (no middle touch, coinciding positions) goes to the touches that do, in proportion.
CREATE OR REPLACE TEMP MACRO attribution_credit(period_start, period_end, basis, half_life_days,
                                                u_first, u_middle, u_last, w_first, w_mql, w_last, w_rest) AS TABLE
WITH in_scope AS (
    SELECT d.deal_id, d.lead_id, d.created_at, d.amount, l.mql_at
    FROM deals d
    LEFT JOIN leads l ON l.lead_id = d.lead_id
    WHERE CASE WHEN basis = 'won'
               THEN d.stage = 'won' AND d.close_date BETWEEN period_start AND period_end
               ELSE CAST(d.created_at AS DATE) BETWEEN period_start AND period_end END
),
eligible AS (
    SELECT s.deal_id, s.amount, s.mql_at, t.campaign_id, t.touched_at,
           date_diff('second', t.touched_at, s.created_at) / 86400.0 AS days_before,
           row_number() OVER deal_order AS pos,
           count(*) OVER (PARTITION BY s.deal_id) AS n
    FROM in_scope s
    JOIN touches t ON t.lead_id = s.lead_id AND t.touched_at <= s.created_at
    WINDOW deal_order AS (PARTITION BY s.deal_id ORDER BY t.touched_at, t.campaign_id)
),
positioned AS (
    SELECT *,
           -- The W model's middle position: the last touch at or before the lead became an MQL.
           max(CASE WHEN touched_at <= mql_at THEN pos END) OVER (PARTITION BY deal_id) AS mql_pos,
           min(days_before) OVER (PARTITION BY deal_id) AS latest_days_before
    FROM eligible
),
counted AS (
    SELECT *,
           n - 1 - CAST(n > 1 AS INTEGER)
             - CAST(mql_pos IS NOT NULL AND mql_pos NOT IN (1, n) AS INTEGER) AS w_rest_count
    FROM positioned
),
raw AS (
    SELECT deal_id, amount, campaign_id, pos,
           CAST(pos = 1 AS DOUBLE) AS first_touch,
           CAST(pos = n AS DOUBLE) AS last_touch,
           1.0 / n AS linear,
           CAST(pos = 1 AS INTEGER) * u_first + CAST(pos = n AS INTEGER) * u_last
             + CASE WHEN pos > 1 AND pos < n THEN u_middle / (n - 2) ELSE 0 END AS u_shaped,
           CAST(pos = 1 AS INTEGER) * w_first + CAST(pos = n AS INTEGER) * w_last
             + CASE WHEN mql_pos IS NULL THEN (CAST(pos = 1 AS INTEGER) + CAST(pos = n AS INTEGER)) * w_mql / 2
                    WHEN pos = mql_pos THEN w_mql ELSE 0 END
             + CASE WHEN pos NOT IN (1, n) AND pos IS DISTINCT FROM mql_pos THEN w_rest / w_rest_count
                    ELSE 0 END AS w_shaped,
           -- Measured from the deal's latest touch so no weight underflows to zero; normalising removes the shift.
           pow(2.0, -(days_before - latest_days_before) / half_life_days) AS time_decay
    FROM counted
),
long AS (
    UNPIVOT raw ON first_touch, last_touch, linear, u_shaped, w_shaped, time_decay
    INTO NAME model VALUE raw_weight
),
weighted AS (
    SELECT deal_id, model, campaign_id, pos, amount,
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
    SELECT deal_id, model, campaign_id, pos AS touch_position, weight,
           cents + CASE WHEN weight_rank = 1
                        THEN CAST(amount AS DECIMAL(18, 2)) - sum(cents) OVER (PARTITION BY deal_id, model)
                        ELSE 0 END AS credit
    FROM rounded
)
SELECT deal_id, model, campaign_id, touch_position, weight, CAST(credit AS DECIMAL(18, 2)) AS credit
FROM credited
WHERE weight > 0
UNION ALL
SELECT s.deal_id, m.model, NULL AS campaign_id, NULL AS touch_position, 1.0 AS weight,
       CAST(s.amount AS DECIMAL(18, 2)) AS credit
FROM in_scope s
CROSS JOIN (VALUES ('first_touch'), ('last_touch'), ('linear'), ('u_shaped'), ('w_shaped'), ('time_decay'))
    AS m(model)
WHERE NOT EXISTS (SELECT 1 FROM eligible e WHERE e.deal_id = s.deal_id);

-- attribution_credit_by_day(period_start, period_end, half_life_days, u_first, u_middle, u_last, w_first, w_mql,
-- w_last, w_rest): the rows of the derived table attribution_credit_daily for these settings, for the deals of the
-- period only: basis 'won' (won deals by close_date) and 'pipeline' (deals by the day they were created), one row
-- per (basis, day, campaign_id, model) with the campaign's channel, credit (sum) and deals (count of deals giving
-- the campaign credit).
CREATE OR REPLACE TEMP MACRO attribution_credit_by_day(period_start, period_end, half_life_days,
                                                       u_first, u_middle, u_last, w_first, w_mql, w_last, w_rest)
AS TABLE
SELECT 'won' AS basis, d.close_date AS day, a.campaign_id, c.channel, a.model, sum(a.credit) AS credit,
       count(DISTINCT a.deal_id) AS deals
FROM attribution_credit(period_start, period_end, 'won', half_life_days, u_first, u_middle, u_last,
                        w_first, w_mql, w_last, w_rest) a
JOIN deals d ON d.deal_id = a.deal_id
LEFT JOIN campaigns c ON c.campaign_id = a.campaign_id
GROUP BY ALL
UNION ALL
SELECT 'pipeline' AS basis, CAST(d.created_at AS DATE) AS day, a.campaign_id, c.channel, a.model,
       sum(a.credit) AS credit, count(DISTINCT a.deal_id) AS deals
FROM attribution_credit(period_start, period_end, 'pipeline', half_life_days, u_first, u_middle, u_last,
                        w_first, w_mql, w_last, w_rest) a
JOIN deals d ON d.deal_id = a.deal_id
LEFT JOIN campaigns c ON c.campaign_id = a.campaign_id
GROUP BY ALL;
