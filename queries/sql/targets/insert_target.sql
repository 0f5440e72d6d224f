-- Writes one agreed target, stamping who and when; batch_id 'manual' so no import undo removes an agreed target.
-- Parameters: $month (DATE, 1st of a month), $metric, $team ('marketing' | 'sales' | 'joint'), $value (DOUBLE),
-- $updated_at (TIMESTAMP), $updated_by (VARCHAR or NULL). Grain: one row of targets.
INSERT INTO targets (month, metric, team, value, updated_at, updated_by, batch_id)
VALUES (CAST($month AS DATE), $metric, $team, CAST($value AS DOUBLE), CAST($updated_at AS TIMESTAMP), $updated_by,
        'manual')
