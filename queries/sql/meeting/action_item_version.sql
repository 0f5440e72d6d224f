-- Returns the current version of one action item (to tell "changed by someone else" from "no such item").
-- Parameters: $item_id.
-- Grain: at most one row.
SELECT version FROM action_items WHERE item_id = $item_id
