-- Changes the given fields of an action item if its version is still the one the editor read (optimistic lock).
-- Each field has a flag ($set_title, $set_owner, $set_team, $set_due_on, $set_status): only flagged fields change,
-- so due_on can be set to NULL on purpose.
-- Parameters: $item_id, $expected_version, the flags and values, $at (TIMESTAMP), $by (VARCHAR).
-- Grain: returns the count of rows changed: 1 when saved, 0 when the version had moved on.
-- (A count, not RETURNING: with RETURNING DuckDB 1.5 rewrites the row, which trips the foreign key from
-- action_items to meetings.)
UPDATE action_items
SET title = CASE WHEN $set_title THEN $title ELSE title END,
    owner = CASE WHEN $set_owner THEN $owner ELSE owner END,
    team = CASE WHEN $set_team THEN $team ELSE team END,
    due_on = CASE WHEN $set_due_on THEN CAST($due_on AS DATE) ELSE due_on END,
    status = CASE WHEN $set_status THEN $status ELSE status END,
    version = version + 1,
    updated_at = $at,
    updated_by = $by
WHERE item_id = $item_id AND version = $expected_version
