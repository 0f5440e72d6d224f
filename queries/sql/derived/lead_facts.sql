-- Inputs: campaigns, deals, leads, reps
-- Refresh by lead_id: leads, deals
-- Summary table: one row per lead with what the funnel, segment and handoff queries need from deals and reps, so none
-- of them joins 1.2 M leads to the deals on every call: the campaign's name, the owner's team, whether the lead became
-- a deal (has_deal) and was won (has_won), its first deal's creation time and first won close date, and its won/lost
-- deal counts, won amount and the summed cycle days of its won deals (close date − deal created), and the time between
-- consecutive funnel stages (NULL when the lead did not record both ends): lead → MQL, MQL → SAL, SAL → SQL and SQL →
-- opportunity (first deal created) in whole seconds, opportunity → won (first won deal's close date) in whole days,
-- so funnel/stage_days.sql takes medians of stored numbers instead of computing five date differences per lead on
-- every call. They are integers because DuckDB's exact quantile of a BIGINT column takes about half the time of the
-- same quantile of DOUBLEs.
-- Kept in the leads' own order, not sorted: leads are generated and imported roughly by created_at, so a
-- date-range filter already skips most row groups, and sorting ~30 columns under the memory cap doubled the build
-- while sparing a year's filter hardly a row group.
-- The lead's channel, region, segment and industry, and the owner's team, are 'Unassigned' (queries.common.UNASSIGNED)
-- where unknown, so every summary table and query on these facts groups and filters them as one more value;
-- owner_team is 'Unassigned' too for a lead without an owner rep or whose owner is not in reps (owner_rep_id tells
-- them apart).
-- A lead without created_at keeps it NULL: it is in no cohort, and its lead → MQL gap is NULL.
-- won_cycle_deals: the won deals with a created date, the ones won_days sums (cycle time leaves the others out).
-- Grain: lead (every lead, with or without a deal).
SELECT
    l.lead_id, l.created_at, l.company, l.campaign_id, c.name AS campaign_name,
    coalesce(l.channel, 'Unassigned') AS channel,
    coalesce(l.region, 'Unassigned') AS region,
    coalesce(l.segment, 'Unassigned') AS segment,
    coalesce(l.industry, 'Unassigned') AS industry,
    l.owner_rep_id,
    coalesce(r.team, 'Unassigned') AS owner_team,
    l.mql_at, l.sal_at, l.sql_at, l.rejected_at, l.reject_reason, l.first_contact_at, l.contact_attempts,
    d.lead_id IS NOT NULL AS has_deal,
    coalesce(d.won_deals > 0, FALSE) AS has_won,
    d.first_deal_at,
    d.first_won_on,
    CAST(coalesce(d.won_deals, 0) AS BIGINT) AS won_deals,
    CAST(coalesce(d.lost_deals, 0) AS BIGINT) AS lost_deals,
    CAST(d.won_amount AS DECIMAL(18, 2)) AS won_amount,
    CAST(d.won_days AS BIGINT) AS won_days,
    CAST(coalesce(d.won_cycle_deals, 0) AS BIGINT) AS won_cycle_deals,
    date_diff('second', l.created_at, l.mql_at) AS lead_to_mql_seconds,
    date_diff('second', l.mql_at, l.sal_at) AS mql_to_sal_seconds,
    date_diff('second', l.sal_at, l.sql_at) AS sal_to_sql_seconds,
    date_diff('second', l.sql_at, d.first_deal_at) AS sql_to_opportunity_seconds,
    date_diff('day', CAST(d.first_deal_at AS DATE), d.first_won_on) AS opportunity_to_won_days
FROM leads AS l
LEFT JOIN campaigns AS c ON c.campaign_id = l.campaign_id
LEFT JOIN reps AS r ON r.rep_id = l.owner_rep_id
LEFT JOIN (
    SELECT lead_id,
           min(created_at) AS first_deal_at,
           min(close_date) FILTER (WHERE stage = 'won') AS first_won_on,
           count(*) FILTER (WHERE stage = 'won') AS won_deals,
           count(*) FILTER (WHERE stage = 'lost') AS lost_deals,
           sum(amount) FILTER (WHERE stage = 'won') AS won_amount,
           sum(date_diff('day', CAST(created_at AS DATE), close_date)) FILTER (WHERE stage = 'won') AS won_days,
           count(created_at) FILTER (WHERE stage = 'won') AS won_cycle_deals
    FROM deals
    WHERE lead_id IS NOT NULL
    GROUP BY lead_id
) AS d ON d.lead_id = l.lead_id
