-- Defines the temporary table macros attribution_credit(...), the attribution credit of the deals of a period for
-- any settings, and attribution_credit_by_day(...) (at the end). Not a query by itself: queries.attribution runs it
-- on a cursor before a query that reads them. The weighting, normalising and rounding are formulas.touch_credit
-- (queries/sql/formulas.sql), which derived/attribution_credit_daily.sql calls too at the default settings.
-- Arguments: period_start, period_end (DATE); basis 'won' (won deals whose close_date is in the period) or
-- 'pipeline' (deals of any stage whose created_at is in the period); half_life_days (time decay, > 0);
-- the position weights of queries.attribution.MODELS (u_first, u_middle, u_last, w_first, w_mql, w_last, w_rest).
-- Returns one row per (deal, model, credited touch): deal_id, model, campaign_id (NULL = unattributed),
-- touch_position (1 = first eligible touch; NULL when unattributed), weight (sums to 1 per deal and model) and
-- credit DECIMAL(18,2) (sums to the deal's amount per deal and model, to the cent).
-- A touch is eligible when it belongs to the deal's lead and touched_at <= the deal's created_at (a deal without a
-- created date has none: unattributed). A deal without an amount gets NULL credit.
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
           row_number() OVER (PARTITION BY s.deal_id ORDER BY t.touched_at, t.campaign_id) AS pos,
           count(*) OVER (PARTITION BY s.deal_id) AS n
    FROM in_scope s
    JOIN touches t ON t.lead_id = s.lead_id AND t.touched_at <= s.created_at
),
positions AS (
    SELECT deal_id, amount, campaign_id, pos, n,
           -- The W model's middle position: the last touch at or before the lead became an MQL.
           max(CASE WHEN touched_at <= mql_at THEN pos END) OVER (PARTITION BY deal_id) AS mql_pos,
           days_before - min(days_before) OVER (PARTITION BY deal_id) AS days_after_latest
    FROM eligible
)
SELECT *
FROM formulas.touch_credit('positions', half_life_days, u_first, u_middle, u_last, w_first, w_mql, w_last, w_rest)
UNION ALL
SELECT s.deal_id, m.model, NULL AS campaign_id, NULL AS touch_position, 1.0 AS weight,
       CAST(s.amount AS DECIMAL(18, 2)) AS credit
FROM in_scope s
CROSS JOIN (VALUES ('first_touch'), ('last_touch'), ('linear'), ('u_shaped'), ('w_shaped'), ('time_decay'))
    AS m(model)
WHERE NOT EXISTS (SELECT 1 FROM eligible e WHERE e.deal_id = s.deal_id);

-- attribution_credit_by_day(period_start, period_end, half_life_days, u_first, u_middle, u_last, w_first, w_mql,
-- w_last, w_rest): the rows of the summary table attribution_credit_daily for these settings, for the deals of the
-- period only: basis 'won' (won deals by close_date) and 'pipeline' (deals by the day they were created), one row
-- per (basis, day, campaign_id, model) with the campaign's channel ('Unassigned' for a campaign without one),
-- credit (sum) and deals (count of deals giving the campaign credit).
CREATE OR REPLACE TEMP MACRO attribution_credit_by_day(period_start, period_end, half_life_days,
                                                       u_first, u_middle, u_last, w_first, w_mql, w_last, w_rest)
AS TABLE
SELECT 'won' AS basis, d.close_date AS day, a.campaign_id,
       CASE WHEN a.campaign_id IS NOT NULL THEN coalesce(c.channel, 'Unassigned') END AS channel, a.model,
       sum(a.credit) AS credit,
       count(DISTINCT a.deal_id) AS deals
FROM attribution_credit(period_start, period_end, 'won', half_life_days, u_first, u_middle, u_last,
                        w_first, w_mql, w_last, w_rest) a
JOIN deals d ON d.deal_id = a.deal_id
LEFT JOIN campaigns c ON c.campaign_id = a.campaign_id
GROUP BY ALL
UNION ALL
SELECT 'pipeline' AS basis, CAST(d.created_at AS DATE) AS day, a.campaign_id,
       CASE WHEN a.campaign_id IS NOT NULL THEN coalesce(c.channel, 'Unassigned') END AS channel, a.model,
       sum(a.credit) AS credit, count(DISTINCT a.deal_id) AS deals
FROM attribution_credit(period_start, period_end, 'pipeline', half_life_days, u_first, u_middle, u_last,
                        w_first, w_mql, w_last, w_rest) a
JOIN deals d ON d.deal_id = a.deal_id
LEFT JOIN campaigns c ON c.campaign_id = a.campaign_id
GROUP BY ALL;
