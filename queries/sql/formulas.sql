-- The metric formulas, each written once as a DuckDB macro that every SQL file calls as formulas.<name>(…), and
-- that queries/metrics.toml names (`macro`). Not a query: queries.db.formulas runs it once per database opened, in
-- an in-memory catalog attached as `formulas` (so read-only files and the Postgres mode's replica have them too).
-- A macro is expanded into the query that calls it, so calling one costs what writing the formula out did.
-- tests/unit/test_formulas.py fails when a formula below is written out in another SQL file.

-- Win rate by count: won ÷ (won + lost) closed deals; NULL when none closed.
CREATE OR REPLACE MACRO formulas.win_rate(won, lost) AS won / nullif(won + lost, 0);

-- Required coverage: the pipeline it takes to book one unit of revenue at the win rate, 1 ÷ win rate, written as
-- (won + lost) ÷ won so that it is NULL, not infinite, when nothing was won.
CREATE OR REPLACE MACRO formulas.required_coverage(won, lost) AS (won + lost) / nullif(won, 0);

-- Pipeline coverage: open pipeline ÷ the quota still to book; NULL when nothing remains.
CREATE OR REPLACE MACRO formulas.coverage(open_pipeline, remaining_quota) AS open_pipeline / nullif(remaining_quota, 0);

-- Win rate by value: won amount ÷ closed (won + lost) amount, as DOUBLE; NULL when the closed amount is 0 or unknown.
CREATE OR REPLACE MACRO formulas.win_rate_value(won_amount, closed_amount) AS
    CAST(won_amount AS DOUBLE) / CAST(nullif(closed_amount, 0) AS DOUBLE);

-- Attainment: booked revenue ÷ quota, as DOUBLE; NULL when the quota is missing or 0.
CREATE OR REPLACE MACRO formulas.attainment(booked, quota) AS CAST(booked AS DOUBLE) / CAST(nullif(quota, 0) AS DOUBLE);

-- MQL → SQL rate: SQLs reached ÷ MQLs; NULL when there are no MQLs.
CREATE OR REPLACE MACRO formulas.sql_rate(sqls, mqls) AS sqls / nullif(mqls, 0);

-- Lead → MQL rate: MQLs reached (by leads with a created date) ÷ leads created; NULL without leads.
CREATE OR REPLACE MACRO formulas.mql_rate(mqls, leads) AS mqls / nullif(leads, 0);

-- Acceptance rate: MQLs sales accepted ÷ MQLs; NULL without MQLs.
CREATE OR REPLACE MACRO formulas.acceptance_rate(accepted, mqls) AS accepted / nullif(mqls, 0);

-- Marketing-sourced share: pipeline from deals with a lead ÷ all pipeline, as DOUBLE; NULL when there is none.
CREATE OR REPLACE MACRO formulas.sourced_share(sourced_pipeline, pipeline) AS
    CAST(sourced_pipeline AS DOUBLE) / CAST(nullif(pipeline, 0) AS DOUBLE);

-- Pipeline per SQL: lead-sourced pipeline ÷ SQLs reached, as DOUBLE; NULL without SQLs.
CREATE OR REPLACE MACRO formulas.pipeline_per_sql(sourced_pipeline, sqls) AS
    CAST(sourced_pipeline AS DOUBLE) / nullif(sqls, 0);

-- Click-through rate: clicks ÷ impressions (over the days that report both), as DOUBLE; NULL without impressions.
CREATE OR REPLACE MACRO formulas.ctr(clicks, impressions) AS CAST(clicks AS DOUBLE) / nullif(impressions, 0);

-- Cost per lead: spend ÷ leads sourced, as DOUBLE; NULL without leads.
CREATE OR REPLACE MACRO formulas.cost_per_lead(spend, leads) AS CAST(spend AS DOUBLE) / nullif(leads, 0);

-- ROI: (attributed won revenue − spend) ÷ spend, as DOUBLE; NULL without spend.
CREATE OR REPLACE MACRO formulas.roi(revenue, spend) AS
    CAST(revenue - spend AS DOUBLE) / nullif(CAST(spend AS DOUBLE), 0);

-- The cohort stage rule: a lead has reached a stage when it reached that stage or any later one (so cohort counts
-- never grow down the funnel). has_deal: a deal was made from the lead (the opportunity stage). Each written as one
-- flat OR, not one macro calling the next: DuckDB keeps a nested OR nested, and tests a flat one in one pass.
CREATE OR REPLACE MACRO formulas.reached_sql(sql_at, has_deal) AS sql_at IS NOT NULL OR has_deal;
CREATE OR REPLACE MACRO formulas.reached_sal(sal_at, sql_at, has_deal) AS
    sal_at IS NOT NULL OR sql_at IS NOT NULL OR has_deal;
CREATE OR REPLACE MACRO formulas.reached_mql(mql_at, sal_at, sql_at, has_deal) AS
    mql_at IS NOT NULL OR sal_at IS NOT NULL OR sql_at IS NOT NULL OR has_deal;

-- The lag explorer's two series (lag/monthly_series.sql, lag/cross_correlation.sql): a brand metric and a sales series
-- per complete calendar month, raw and linearly detrended. Arguments as those files' parameters: brand_metric,
-- brand_region ($region: brand_metrics.region, 'all' for the total), sales_series ('pipeline_created' | 'sqls' |
-- 'won_revenue' | 'inbound_leads'), period_start, period_end (DATE: from the first month that starts on or after
-- period_start through the last month whose brand reading is published by period_end, which is the month before
-- period_end's: a reading counts from the 1st of the next month, see brand/latest.sql), in_segments, in_regions
-- (VARCHAR[] or NULL = all; leads by their own region, deals by the owner rep's region).
-- Months: those with the brand metric, inside the span of lead and deal activity; a sales month with no event is 0.
-- Detrending: each series minus its least-squares line over these months (so a shared upward drift does not pass for
-- a relationship). Returns one row per month: month, idx (months since the first), brand_value, sales_value,
-- brand_detrended, sales_detrended.
CREATE OR REPLACE MACRO formulas.brand_sales_months(brand_metric, brand_region, sales_series, period_start, period_end,
                                                    in_segments, in_regions) AS TABLE
WITH activity AS (
    SELECT min(first_month) AS first_month, max(last_month) AS last_month
    FROM (
        SELECT CAST(date_trunc('month', min(created_at)) AS DATE) AS first_month,
               CAST(date_trunc('month', max(created_at)) AS DATE) AS last_month
        FROM leads
        UNION ALL
        SELECT CAST(date_trunc('month', min(created_at)) AS DATE), CAST(date_trunc('month', max(created_at)) AS DATE)
        FROM deals
    )
),
brand AS (
    SELECT b.month, b.value
    FROM brand_metrics AS b
    CROSS JOIN activity AS a
    WHERE b.metric = brand_metric
      AND b.region = brand_region
      AND b.month >= CAST(period_start AS DATE)
      AND b.month < CAST(date_trunc('month', CAST(period_end AS DATE)) AS DATE)
      AND b.month BETWEEN a.first_month AND a.last_month
),
deal_scope AS (
    SELECT d.*
    FROM deals AS d
    JOIN reps AS r ON r.rep_id = d.owner_rep_id
    WHERE (in_segments IS NULL OR list_contains(CAST(in_segments AS VARCHAR[]), d.segment))
      AND (in_regions IS NULL OR list_contains(CAST(in_regions AS VARCHAR[]), r.region))
),
lead_scope AS (
    SELECT *
    FROM leads
    WHERE (in_segments IS NULL OR list_contains(CAST(in_segments AS VARCHAR[]), segment))
      AND (in_regions IS NULL OR list_contains(CAST(in_regions AS VARCHAR[]), region))
),
-- Months as integer keys (year × 12 + month − 1), turned into dates after grouping: cheaper than date_trunc on every
-- row.
sales_events AS (
    SELECT 'pipeline_created' AS series, year(created_at) * 12 + month(created_at) - 1 AS month_key,
           amount AS value
    FROM deal_scope
    UNION ALL
    SELECT 'won_revenue', year(close_date) * 12 + month(close_date) - 1, amount
    FROM deal_scope WHERE stage = 'won'
    UNION ALL
    SELECT 'sqls', year(sql_at) * 12 + month(sql_at) - 1, 1
    FROM lead_scope WHERE sql_at IS NOT NULL
    UNION ALL
    SELECT 'inbound_leads', year(created_at) * 12 + month(created_at) - 1, 1
    FROM lead_scope WHERE campaign_id IS NULL
),
sales AS (
    SELECT make_date(CAST(month_key // 12 AS INTEGER), CAST(month_key % 12 + 1 AS INTEGER), 1) AS month,
           CAST(sum(value) AS DOUBLE) AS value
    FROM sales_events
    WHERE series = sales_series
    GROUP BY month_key
),
paired AS (
    SELECT brand.month,
           date_diff('month', min(brand.month) OVER (), brand.month) AS idx,
           brand.value AS brand_value,
           coalesce(sales.value, 0) AS sales_value
    FROM brand
    LEFT JOIN sales USING (month)
)
SELECT month, idx, brand_value, sales_value,
       brand_value - (regr_intercept(brand_value, idx) OVER () + regr_slope(brand_value, idx) OVER () * idx)
           AS brand_detrended,
       sales_value - (regr_intercept(sales_value, idx) OVER () + regr_slope(sales_value, idx) OVER () * idx)
           AS sales_detrended
FROM paired;

-- The funnel's rows (funnel/stages_cohort.sql, funnel/stages_period.sql): each group's counts per stage in funnel
-- order, long format, with the conversions. Arguments: stage_counts, a list of {grp, leads, mql, sal, sql,
-- opportunity, won} (one per group); impression_counts, a list of {grp, impressions, campaign_days,
-- days_without_impressions}; attributable (BOOLEAN: impressions can be shown for this split and these filters, else
-- they and their day counts are NULL); with_all_row (BOOLEAN: an 'all' group even when nothing was counted);
-- undated_leads (the leads_without_created_date of every row). A group is in either list; one in only one has 0 for
-- the other's counts. step_conversion = count ÷ the previous stage's count, cumulative_conversion = count ÷ the
-- group's leads (from the leads stage on); both NULL where the divisor is 0.
-- Returns one row per (grp, stage): grp, stage, count, step_conversion, cumulative_conversion, campaign_days,
-- days_without_impressions, leads_without_created_date; stages in funnel order, groups by leads descending.
CREATE OR REPLACE MACRO formulas.funnel_stages(stage_counts, impression_counts, attributable, with_all_row,
                                               undated_leads) AS TABLE
WITH counted AS (
    SELECT unnest(stage_counts, recursive := true)
),
delivered AS (
    SELECT unnest(impression_counts, recursive := true)
),
groups AS (
    SELECT grp FROM counted
    UNION SELECT grp FROM delivered
    UNION SELECT 'all' WHERE with_all_row
),
wide AS (
    SELECT
        g.grp,
        CASE WHEN attributable THEN coalesce(i.impressions, 0) END AS impressions,
        CASE WHEN attributable THEN CAST(coalesce(i.campaign_days, 0) AS BIGINT) END AS campaign_days,
        CASE WHEN attributable THEN CAST(coalesce(i.days_without_impressions, 0) AS BIGINT) END
            AS days_without_impressions,
        coalesce(n.leads, 0) AS leads, coalesce(n.mql, 0) AS mql, coalesce(n.sal, 0) AS sal,
        coalesce(n.sql, 0) AS sql, coalesce(n.opportunity, 0) AS opportunity, coalesce(n.won, 0) AS won
    FROM groups AS g
    LEFT JOIN counted AS n ON n.grp = g.grp
    LEFT JOIN delivered AS i ON i.grp = g.grp
),
long AS (
    SELECT
        w.grp, s.stage_order, s.stage, w.leads AS group_leads, w.campaign_days, w.days_without_impressions,
        CAST(CASE s.stage WHEN 'impressions' THEN w.impressions WHEN 'leads' THEN w.leads WHEN 'mql' THEN w.mql
                          WHEN 'sal' THEN w.sal WHEN 'sql' THEN w.sql WHEN 'opportunity' THEN w.opportunity
                          ELSE w.won END AS BIGINT) AS count
    FROM wide AS w
    CROSS JOIN (VALUES (1, 'impressions'), (2, 'leads'), (3, 'mql'), (4, 'sal'), (5, 'sql'), (6, 'opportunity'),
                       (7, 'won')) AS s (stage_order, stage)
)
SELECT
    grp,
    stage,
    count,
    CAST(count AS DOUBLE) / nullif(lag(count) OVER (PARTITION BY grp ORDER BY stage_order), 0) AS step_conversion,
    CASE WHEN stage_order >= 2 THEN CAST(count AS DOUBLE) / nullif(group_leads, 0) END AS cumulative_conversion,
    campaign_days,
    days_without_impressions,
    undated_leads AS leads_without_created_date
FROM long
ORDER BY group_leads DESC, grp, stage_order;

-- Attribution: the raw weight of a deal's eligible touch under each position model (formulas.touch_credit below
-- weighs with them; queries.attribution.MODELS says them in words). pos: 1 = the first eligible touch; n: the
-- deal's eligible touches; mql_pos: the last touch at or before the lead became an MQL (NULL: none). A deal's raw
-- weights are then divided by their sum, so a share whose position does not exist (no middle touch, coinciding
-- positions) goes to the touches that do, in proportion.
-- U-shaped: u_first to the first touch, u_last to the last, u_middle shared by the touches between.
CREATE OR REPLACE MACRO formulas.u_shaped_weight(pos, n, u_first, u_middle, u_last) AS
    CAST(pos = 1 AS INTEGER) * u_first + CAST(pos = n AS INTEGER) * u_last
      + CASE WHEN pos > 1 AND pos < n THEN u_middle / (n - 2) ELSE 0 END;
-- W-shaped: w_first to the first touch, w_mql to the MQL touch (half each to the first and the last without one),
-- w_last to the last, w_rest shared by the others.
CREATE OR REPLACE MACRO formulas.w_shaped_weight(pos, n, mql_pos, w_first, w_mql, w_last, w_rest) AS
    CAST(pos = 1 AS INTEGER) * w_first + CAST(pos = n AS INTEGER) * w_last
      + CASE WHEN mql_pos IS NULL THEN (CAST(pos = 1 AS INTEGER) + CAST(pos = n AS INTEGER)) * w_mql / 2
             WHEN pos = mql_pos THEN w_mql ELSE 0 END
      + CASE WHEN pos NOT IN (1, n) AND pos IS DISTINCT FROM mql_pos
             THEN w_rest / (n - 1 - CAST(n > 1 AS INTEGER)
                            - CAST(mql_pos IS NOT NULL AND mql_pos NOT IN (1, n) AS INTEGER))
             ELSE 0 END;
-- Time decay: 2^(−days / half-life), days measured back from the deal's latest eligible touch (so no weight
-- underflows to zero; normalising removes the shift).
CREATE OR REPLACE MACRO formulas.time_decay_weight(days_after_latest, half_life_days) AS
    pow(2.0, -days_after_latest / half_life_days);
-- A touch's credit: the deal's amount × its normalised weight, rounded to the cent (the deal's rounding remainder
-- then goes to its highest-weighted touch).
CREATE OR REPLACE MACRO formulas.rounded_credit(amount, weight) AS
    CAST(round(CAST(amount AS DOUBLE) * weight, 2) AS DECIMAL(18, 2));

-- Attribution credit from touch positions, for every model at once: the one place the raw weights are normalised
-- per deal, rounded to the cent and the rounding remainder given to the deal's highest-weighted touch (the first of
-- equals), so each deal's credit sums to its amount. `positions` names a relation (a table, or a CTE of the calling
-- query) with one row per eligible touch: deal_id, amount, campaign_id, pos (1 = first), n (the deal's eligible
-- touches), mql_pos (the last touch at or before the lead became an MQL; NULL: none) and days_after_latest (days
-- between the touch and the deal's latest eligible touch). The weights are the models' settings (scalars, or columns
-- of `positions`). Returns one row per (deal, model, credited touch): deal_id, model, campaign_id, touch_position,
-- weight (sums to 1 per deal and model) and credit DECIMAL(18,2) (NULL for a deal without an amount).
-- The six models are weighted side by side (a column each, one row per touch): each deal's totals, rounded sums and
-- highest-weighted touch come from grouped passes, and the rows are unpivoted to one per model only at the end.
CREATE OR REPLACE MACRO formulas.touch_credit(positions, half_life_days, u_first, u_middle, u_last, w_first, w_mql,
                                              w_last, w_rest) AS TABLE
WITH raw AS (
    SELECT deal_id, amount, campaign_id, pos,
           CAST(pos = 1 AS DOUBLE) AS first_touch,
           CAST(pos = n AS DOUBLE) AS last_touch,
           1.0 / n AS linear,
           formulas.u_shaped_weight(pos, n, u_first, u_middle, u_last) AS u_shaped,
           formulas.w_shaped_weight(pos, n, mql_pos, w_first, w_mql, w_last, w_rest) AS w_shaped,
           formulas.time_decay_weight(days_after_latest, half_life_days) AS time_decay
    FROM query_table(positions)
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
    SELECT raw.deal_id, amount, campaign_id, pos,
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
    SELECT r.deal_id, campaign_id, pos,
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
)
SELECT deal_id, model, campaign_id, pos AS touch_position, weight, credit
FROM credited
WHERE weight > 0;
