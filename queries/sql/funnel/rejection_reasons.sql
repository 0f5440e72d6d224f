-- Returns why sales rejected the MQLs of [$start, $end] (mql_at in the period): rejected MQLs per reason (NULL
-- reason shown as '(no reason given)') and each reason's share of the rejections.
-- Parameters: $start, $end (DATE, inclusive); $regions, $segments (VARCHAR[] or NULL = all).
-- Grain: one row per reason, most frequent first.
SELECT
    coalesce(l.reject_reason, '(no reason given)') AS reject_reason,
    count(*) AS rejected,
    count(*) / sum(count(*)) OVER () AS share
FROM derived.mql_facts AS l
WHERE l.rejected_at IS NOT NULL
  AND l.mql_at >= $start AND l.mql_at < $end + INTERVAL 1 DAY
  AND ($regions IS NULL OR list_contains($regions, l.region))
  AND ($segments IS NULL OR list_contains($segments, l.segment))
GROUP BY 1
ORDER BY rejected DESC, reject_reason
