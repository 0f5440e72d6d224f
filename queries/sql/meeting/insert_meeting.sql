-- Creates one planning meeting (status 'open', version 1).
-- Parameters: $meeting_id, $held_on (DATE), $title, $as_of (DATE), $at (TIMESTAMP), $by (VARCHAR).
-- Grain: one new row in meetings.
INSERT INTO meetings (meeting_id, held_on, title, as_of, notes, status, version, created_at, created_by,
                      updated_at, updated_by)
VALUES ($meeting_id, $held_on, $title, $as_of, '', 'open', 1, $at, $by, $at, $by)
