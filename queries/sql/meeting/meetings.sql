-- Returns planning meetings: meeting_id, held_on, title, as_of, notes, status, version, created_at, created_by,
-- updated_at, updated_by, open_items (open action items raised in it).
-- Parameters: $meeting_id (VARCHAR or NULL = every meeting).
-- Grain: one row per meeting, latest held first.
SELECT m.meeting_id, m.held_on, m.title, m.as_of, m.notes, m.status, m.version, m.created_at, m.created_by,
       m.updated_at, m.updated_by,
       (SELECT count(*) FROM action_items AS a WHERE a.meeting_id = m.meeting_id AND a.status = 'open')
           AS open_items
FROM meetings AS m
WHERE $meeting_id IS NULL OR m.meeting_id = $meeting_id
ORDER BY m.held_on DESC, m.created_at DESC, m.meeting_id DESC
