-- Returns the conversion rates, deal economics and stage lags measured over the trailing window before a plan:
-- the numbers the reverse funnel divides by. One row.
-- Parameters: $start_month (DATE, the plan's first month), $trailing_months (window length), $team (VARCHAR or NULL
-- = every team). The window is [$start_month − $trailing_months months, $start_month), cut at the day after the last
-- lead in the database so a month still in progress does not dilute the run rate.
-- Scope for a team: deals owned by its reps; leads owned by its reps, or unassigned leads (no owner rep) in its reps'
-- regions. $team 'Unassigned' is the reps without a team (a rep or lead region that is unknown matches none).
-- Rates are flows within the window (steady-state ratios):
--   win_rate_value   = won amount / (won + lost amount) of deals closed in the window (money in → money out), over
--                      the deals with an amount: closed_without_amount counts the lost ones without (won deals
--                      always have one) of the closed_deals
--   avg_cycle_days   = mean close_date − created_at of won deals closed in the window that have a created date
--                      (won_without_created_date: the others, of the won_deals)
--   sourced_share    = share of pipeline created in the window that came from a lead (marketing-sourced)
--   pipeline_per_sql = lead-sourced pipeline created in the window / SQLs reached in the window; both pipelines
--                      sum the deals with an amount (created_without_amount: the window's deals without one, of
--                      the created_deals)
--   sql_rate         = SQLs reached / MQLs reached in the window;  mql_rate = MQLs reached by leads with a created
--                      date / leads created (mqls_without_created_date: the window's MQLs of leads without one,
--                      which no window's leads include)
--   *_days           = mean days between the stages (SQL → deal created, MQL → SQL, lead created → MQL)
--   *_lag_months     = those days in whole months (days / 30.4375, rounded): where the reverse funnel places a need.
WITH bounds AS (
    SELECT CAST(CAST($start_month AS DATE) - to_months(CAST($trailing_months AS INTEGER)) AS DATE) AS window_start,
           least(CAST($start_month AS DATE),
                 (SELECT CAST(max(created_at) AS DATE) + 1 FROM leads)) AS window_end
),
-- The scope tests lists computed once (list_contains), not IN (subquery): an IN is a join over every lead even
-- when $team is NULL, since the plan is made before the value is known.
-- The leads' stages come from derived.lead_stage_daily (each day's stage events per owner team, region and whether
-- the lead is unassigned), so the window is a range of days, not a scan of every lead.
scoped_stages AS (
    SELECT e.*
    FROM derived.lead_stage_daily AS e
    WHERE $team IS NULL
       OR (NOT e.unassigned AND e.owner_team = $team)
       OR (e.unassigned AND list_contains(
               (SELECT list(DISTINCT region) FROM reps WHERE coalesce(team, 'Unassigned') = $team), e.region))
),
scoped_deals AS (
    SELECT d.*
    FROM deals AS d
    WHERE $team IS NULL
       OR list_contains((SELECT list(rep_id) FROM reps WHERE coalesce(team, 'Unassigned') = $team), d.owner_rep_id)
),
closed AS (
    SELECT sum(d.amount) FILTER (WHERE d.stage = 'won') AS won_amount,
           sum(d.amount) AS closed_amount,
           count(*) AS closed_deals,
           count(*) FILTER (WHERE d.stage = 'won') AS won_deals,
           count(*) - count(d.amount) AS closed_without_amount,
           avg(date_diff('day', CAST(d.created_at AS DATE), d.close_date)) FILTER (WHERE d.stage = 'won')
               AS avg_cycle_days,
           count(*) FILTER (WHERE d.stage = 'won' AND d.created_at IS NULL) AS won_without_created_date
    FROM scoped_deals AS d, bounds AS b
    WHERE d.stage IN ('won', 'lost') AND d.close_date >= b.window_start AND d.close_date < b.window_end
),
created AS (
    SELECT sum(d.amount) AS pipeline,
           sum(d.amount) FILTER (WHERE d.lead_id IS NOT NULL) AS sourced_pipeline,
           count(*) AS created_deals,
           count(*) - count(d.amount) AS created_without_amount
    FROM scoped_deals AS d, bounds AS b
    WHERE d.created_at >= b.window_start AND d.created_at < b.window_end
),
sql_to_deal AS (
    SELECT avg(date_diff('second', l.sql_at, d.created_at) / 86400.0) AS days
    FROM scoped_deals AS d
    JOIN leads AS l ON l.lead_id = d.lead_id
    CROSS JOIN bounds AS b
    WHERE d.created_at >= b.window_start AND d.created_at < b.window_end AND l.sql_at IS NOT NULL
),
stages AS (
    SELECT CAST(coalesce(sum(e.created), 0) AS BIGINT) AS leads,
           CAST(coalesce(sum(e.mqls), 0) AS BIGINT) AS mqls,
           CAST(coalesce(sum(e.sqls), 0) AS BIGINT) AS sqls,
           CAST(coalesce(sum(e.lead_to_mql_n), 0) AS BIGINT) AS dated_mqls,
           sum(e.lead_to_mql_seconds) / 86400.0 / nullif(sum(e.lead_to_mql_n), 0) AS lead_to_mql_days,
           sum(e.mql_to_sql_seconds) / 86400.0 / nullif(sum(e.mql_to_sql_n), 0) AS mql_to_sql_days
    FROM scoped_stages AS e, bounds AS b
    WHERE e.day >= b.window_start AND e.day < b.window_end
)
SELECT
    b.window_start,
    b.window_end,
    formulas.win_rate_value(c.won_amount, c.closed_amount) AS win_rate_value,
    c.avg_cycle_days,
    CAST(round(c.avg_cycle_days / 30.4375) AS INTEGER) AS close_lag_months,
    formulas.sourced_share(p.sourced_pipeline, p.pipeline) AS sourced_share,
    formulas.pipeline_per_sql(p.sourced_pipeline, s.sqls) AS pipeline_per_sql,
    sd.days AS sql_to_deal_days,
    CAST(round(sd.days / 30.4375) AS INTEGER) AS sql_to_deal_lag_months,
    formulas.sql_rate(s.sqls, s.mqls) AS sql_rate,
    s.mql_to_sql_days,
    CAST(round(s.mql_to_sql_days / 30.4375) AS INTEGER) AS mql_to_sql_lag_months,
    formulas.mql_rate(s.dated_mqls, s.leads) AS mql_rate,
    s.lead_to_mql_days,
    CAST(round(s.lead_to_mql_days / 30.4375) AS INTEGER) AS lead_to_mql_lag_months,
    s.leads,
    s.mqls,
    s.sqls,
    c.closed_deals,
    c.won_deals,
    p.created_deals,
    c.closed_without_amount,
    c.won_without_created_date,
    p.created_without_amount,
    s.mqls - s.dated_mqls AS mqls_without_created_date
FROM bounds AS b, closed AS c, created AS p, sql_to_deal AS sd, stages AS s
