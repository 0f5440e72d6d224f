-- Inputs: derived.mql_facts
-- Summary table: the MQLs of each day per lead slice and handoff outcome, so the Funnel page's monthly MQL delivery
-- and its response-time buckets are sums over a range of days instead of a scan of every MQL (derived.mql_facts).
-- No parameters. Grain: one row per (day, region, segment, owner_team, bucket, reached_sql, accepted, rejected)
-- with any MQL; day = the mql_at day; region, segment, owner_team as derived.mql_facts has them ('Unassigned' where
-- unknown). bucket: time from MQL to first contact ('< 1 h', '1–4 h', '4–24 h', '1–3 d', '> 3 d', or 'never' when
-- not contacted: mql_facts.response_seconds). reached_sql, accepted: as in mql_facts; rejected: a rejected_at.
-- mqls: how many. Sorted by day.
WITH mqls AS (
    SELECT CAST(mql_at AS DATE) AS day, region, segment, owner_team, response_seconds / 3600.0 AS h, reached_sql,
           accepted, rejected_at IS NOT NULL AS rejected
    FROM derived.mql_facts
)
SELECT
    day, region, segment, owner_team,
    CASE WHEN h IS NULL THEN 'never' WHEN h < 1 THEN '< 1 h' WHEN h < 4 THEN '1–4 h' WHEN h <= 24 THEN '4–24 h'
         WHEN h <= 72 THEN '1–3 d' ELSE '> 3 d' END AS bucket,
    reached_sql, accepted, rejected,
    count(*) AS mqls
FROM mqls
GROUP BY ALL
ORDER BY ALL
