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

-- The cohort stage rule: a lead has reached a stage when it reached that stage or any later one (so cohort counts
-- never grow down the funnel). has_deal: a deal was made from the lead (the opportunity stage).
CREATE OR REPLACE MACRO formulas.reached_sql(sql_at, has_deal) AS sql_at IS NOT NULL OR has_deal;
CREATE OR REPLACE MACRO formulas.reached_sal(sal_at, sql_at, has_deal) AS
    sal_at IS NOT NULL OR formulas.reached_sql(sql_at, has_deal);
CREATE OR REPLACE MACRO formulas.reached_mql(mql_at, sal_at, sql_at, has_deal) AS
    mql_at IS NOT NULL OR formulas.reached_sal(sal_at, sql_at, has_deal);
