-- Replaces a meeting's notes if nobody changed the meeting since the editor read it (optimistic version check).
-- Parameters: $meeting_id, $expected_version (INTEGER), $notes, $at (TIMESTAMP), $by (VARCHAR).
-- Grain: returns the count of rows changed: 1 when saved, 0 when the version had moved on.
-- (A count, not RETURNING: with RETURNING DuckDB 1.5 rewrites the row, which trips the foreign key from
-- action_items to meetings.)
UPDATE meetings
SET notes = $notes, version = version + 1, updated_at = $at, updated_by = $by
WHERE meeting_id = $meeting_id AND version = $expected_version
