-- Returns the meeting held before the given one (by held_on, then created_at): same columns as meetings.sql
-- without open_items. No row when the given meeting is the first or unknown.
-- Parameters: $meeting_id.
-- Grain: at most one row.
SELECT p.meeting_id, p.held_on, p.title, p.as_of, p.notes, p.status, p.version, p.created_at, p.created_by,
       p.updated_at, p.updated_by
FROM meetings AS m
JOIN meetings AS p
  ON p.held_on < m.held_on
  OR (p.held_on = m.held_on AND (p.created_at < m.created_at
                                 OR (p.created_at = m.created_at AND p.meeting_id < m.meeting_id)))
WHERE m.meeting_id = $meeting_id
ORDER BY p.held_on DESC, p.created_at DESC, p.meeting_id DESC
LIMIT 1
