-- Returns conversion to SQL by response-time bucket for the MQLs of [$start, $end] (mql_at in the period):
-- < 1 h, 1–4 h, 4–24 h, 1–3 d, > 3 d and never contacted. Response time = first_contact_at − mql_at; a contact
-- before the MQL counts as 0 h. Reached SQL = sql_at recorded or a deal exists for the lead.
-- Parameters: $start, $end (DATE, inclusive); $regions, $segments, $teams (VARCHAR[] or NULL = all).
-- Grain: one row per bucket (all six, fastest first); sql_rate is NULL for a bucket without leads.
WITH bucketed AS (
    -- derived.mql_daily: the MQLs of each day per slice, response bucket and outcome.
    SELECT d.bucket, sum(d.mqls) AS leads, sum(d.mqls) FILTER (WHERE d.reached_sql) AS reached
    FROM derived.mql_daily AS d
    WHERE d.day BETWEEN $start AND $end
      AND ($regions IS NULL OR list_contains($regions, d.region))
      AND ($segments IS NULL OR list_contains($segments, d.segment))
      AND ($teams IS NULL OR list_contains($teams, d.owner_team))
    GROUP BY d.bucket
)
SELECT
    b.bucket,
    CAST(coalesce(m.leads, 0) AS BIGINT) AS leads,
    formulas.sql_rate(coalesce(m.reached, 0), m.leads) AS sql_rate
FROM (VALUES (1, '< 1 h'), (2, '1–4 h'), (3, '4–24 h'), (4, '1–3 d'), (5, '> 3 d'), (6, 'never')) AS b (ord, bucket)
LEFT JOIN bucketed AS m ON m.bucket = b.bucket
ORDER BY b.ord
