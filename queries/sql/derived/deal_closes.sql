-- Inputs: deals, reps
-- Summary table: the deals with a close date (won and lost ones, and open ones with an expected date) whose owner
-- is a rep in reps, sorted by close_date, with the owner's team and region ('Unassigned' for a rep without one) and
-- the day the deal was created (NULL when unknown): what pipeline coverage reads. Sorted, a close-date range reads
-- only the row groups that hold it; the deals table itself is in creation order, so every coverage call read all of
-- it (1.9 M deals at scale 200). Left out: deals without a close date and deals whose owner is not in reps, which no
-- coverage figure counts. amount is NULL where the deal has none. No parameters. Grain: deal.
SELECT d.close_date, d.owner_rep_id, coalesce(r.team, 'Unassigned') AS owner_team,
       coalesce(r.region, 'Unassigned') AS owner_region, d.stage,
       CAST(d.created_at AS DATE) AS created_day, d.amount
FROM deals AS d
JOIN reps AS r ON r.rep_id = d.owner_rep_id
WHERE d.close_date IS NOT NULL
ORDER BY d.close_date
