-- Writes one agreed target: inserts (month, metric, team) or replaces its value, stamping who and when.
-- Parameters: $month (DATE, 1st of a month), $metric, $team ('marketing' | 'sales' | 'joint'), $value (DOUBLE),
-- $updated_at (TIMESTAMP), $updated_by (VARCHAR or NULL). batch_id 'manual': no import undo removes an agreed target.
-- Grain: one row of targets.
INSERT INTO targets (month, metric, team, value, updated_at, updated_by, batch_id)
VALUES (CAST($month AS DATE), $metric, $team, CAST($value AS DOUBLE), CAST($updated_at AS TIMESTAMP), $updated_by,
        'manual')
ON CONFLICT (month, metric, team) DO UPDATE SET
    value = excluded.value,
    updated_at = excluded.updated_at,
    updated_by = excluded.updated_by,
    batch_id = excluded.batch_id
