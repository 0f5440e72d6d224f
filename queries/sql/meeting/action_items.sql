-- Returns action items: item_id, meeting_id, meeting_title, title, owner, team, due_on, status, overdue, version,
-- created_at, created_by, updated_at, updated_by. overdue = still open and due before $as_of.
-- Parameters: $meeting_id (or NULL = every meeting), $statuses (VARCHAR[] or NULL = every status), $as_of (DATE).
-- Grain: one row per action item; open first, then by due date (undated last), then oldest first.
SELECT a.item_id, a.meeting_id, m.title AS meeting_title, a.title, a.owner, a.team, a.due_on, a.status,
       coalesce(a.status = 'open' AND a.due_on < CAST($as_of AS DATE), FALSE) AS overdue,
       a.version, a.created_at, a.created_by, a.updated_at, a.updated_by
FROM action_items AS a
LEFT JOIN meetings AS m ON m.meeting_id = a.meeting_id
WHERE ($meeting_id IS NULL OR a.meeting_id = $meeting_id)
  AND ($statuses IS NULL OR list_contains(CAST($statuses AS VARCHAR[]), a.status))
ORDER BY a.status <> 'open', a.due_on NULLS LAST, a.created_at, a.item_id
