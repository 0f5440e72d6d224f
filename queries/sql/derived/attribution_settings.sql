-- Inputs: none
-- Summary table: the settings the attribution credit summary tables are built with — the default time-decay
-- half-life and the position weights, equal to queries.attribution.DEFAULT_HALF_LIFE_DAYS and MODELS
-- (tests/unit/test_attribution.py keeps them equal; queries.attribution reads those tables only while they are).
-- No parameters. Grain: one row.
SELECT CAST(7.0 AS DOUBLE) AS half_life_days,
       CAST(0.40 AS DOUBLE) AS u_first,
       CAST(0.20 AS DOUBLE) AS u_middle,
       CAST(0.40 AS DOUBLE) AS u_last,
       CAST(0.30 AS DOUBLE) AS w_first,
       CAST(0.30 AS DOUBLE) AS w_mql,
       CAST(0.30 AS DOUBLE) AS w_last,
       CAST(0.10 AS DOUBLE) AS w_rest
