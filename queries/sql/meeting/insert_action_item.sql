-- Creates one action item (status 'open', version 1).
-- Parameters: $item_id, $meeting_id (or NULL), $title, $owner, $team, $due_on (DATE or NULL), $at, $by.
-- Grain: one new row in action_items.
INSERT INTO action_items (item_id, meeting_id, title, owner, team, due_on, status, version, created_at, created_by,
                          updated_at, updated_by)
VALUES ($item_id, $meeting_id, $title, $owner, $team, $due_on, 'open', 1, $at, $by, $at, $by)
