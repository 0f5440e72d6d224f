-- Derived table: the settings the attribution rollups are built with — the default time-decay half-life and the
-- position weights, equal to queries.attribution.DEFAULT_HALF_LIFE_DAYS and MODELS (tests/unit/test_attribution.py
-- keeps them equal; queries.attribution reads the rollups only while they are). No parameters. Grain: one row.
SELECT 7.0 AS half_life_days,
       0.40 AS u_first, 0.20 AS u_middle, 0.40 AS u_last,
       0.30 AS w_first, 0.30 AS w_mql, 0.30 AS w_last, 0.10 AS w_rest
