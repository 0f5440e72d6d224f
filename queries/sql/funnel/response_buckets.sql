-- Returns conversion to SQL by response-time bucket for the MQLs of [$start, $end] (mql_at in the period):
-- < 1 h, 1–4 h, 4–24 h, 1–3 d, > 3 d and never contacted. Response time = first_contact_at − mql_at; a contact
-- before the MQL counts as 0 h. Reached SQL = sql_at recorded or a deal exists for the lead.
-- Parameters: $start, $end (DATE, inclusive); $regions, $segments, $teams (VARCHAR[] or NULL = all).
-- Grain: one row per bucket (all six, fastest first); sql_rate is NULL for a bucket without leads.
WITH mqls AS (
    SELECT
        CASE WHEN l.first_contact_at IS NOT NULL
             THEN greatest(0, date_diff('second', l.mql_at, l.first_contact_at) / 3600.0) END AS h,
        l.sql_at IS NOT NULL OR l.has_deal AS reached_sql
    FROM derived.lead_facts AS l
    WHERE l.mql_at >= $start AND l.mql_at < $end + INTERVAL 1 DAY
      AND ($regions IS NULL OR list_contains($regions, l.region))
      AND ($segments IS NULL OR list_contains($segments, l.segment))
      AND ($teams IS NULL OR list_contains($teams, l.owner_team))
),
bucketed AS (
    SELECT
        CASE WHEN h IS NULL THEN 'never' WHEN h < 1 THEN '< 1 h' WHEN h < 4 THEN '1–4 h' WHEN h <= 24 THEN '4–24 h'
             WHEN h <= 72 THEN '1–3 d' ELSE '> 3 d' END AS bucket,
        reached_sql
    FROM mqls
)
SELECT
    b.bucket,
    count(m.bucket) AS leads,
    count(*) FILTER (WHERE m.reached_sql) / nullif(count(m.bucket), 0) AS sql_rate
FROM (VALUES (1, '< 1 h'), (2, '1–4 h'), (3, '4–24 h'), (4, '1–3 d'), (5, '> 3 d'), (6, 'never')) AS b (ord, bucket)
LEFT JOIN bucketed AS m ON m.bucket = b.bucket
GROUP BY b.ord, b.bucket
ORDER BY b.ord
