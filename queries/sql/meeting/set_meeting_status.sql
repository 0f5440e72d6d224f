-- Closes or reopens a meeting (status 'closed' or 'open'), bumping its version so open note editors reload.
-- Parameters: $meeting_id, $status, $at (TIMESTAMP), $by (VARCHAR).
-- Grain: returns the count of rows changed (1 when the meeting exists).
-- (A count, not RETURNING: with RETURNING DuckDB 1.5 rewrites the row, which trips the foreign key from
-- action_items to meetings.)
UPDATE meetings
SET status = $status, version = version + 1, updated_at = $at, updated_by = $by
WHERE meeting_id = $meeting_id
