-- Returns a meeting's status and version (writes check them before changing anything).
-- Parameters: $meeting_id.
-- Grain: at most one row.
SELECT status, version FROM meetings WHERE meeting_id = $meeting_id
