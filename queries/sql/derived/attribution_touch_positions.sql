-- Inputs: deals, leads, touches
-- Summary table: every deal with the positions of its eligible touches, what every attribution model needs and no
-- weight (the structure of queries/sql/attribution/credit_macro.sql, for all deals). No parameters.
-- Grain: one row per (deal, eligible touch), or one row with campaign_id and pos NULL for a deal with none.
-- A touch is eligible when it belongs to the deal's lead and touched_at <= the deal's created_at (a deal without a
-- created date has none: no touch can be placed before it). pos: 1 = first
-- (by touched_at, then campaign_id); n: eligible touches of the deal; mql_pos: the last touch at or before the lead
-- became an MQL; days_after_latest: days between the touch and the deal's latest eligible touch.
WITH in_scope AS (
    SELECT d.deal_id, d.lead_id, d.stage, d.close_date, d.created_at, d.amount, l.mql_at
    FROM deals d
    LEFT JOIN leads l ON l.lead_id = d.lead_id
),
eligible AS (
    SELECT s.deal_id, s.mql_at, t.campaign_id, t.touched_at,
           date_diff('second', t.touched_at, s.created_at) / 86400.0 AS days_before,
           row_number() OVER (PARTITION BY s.deal_id ORDER BY t.touched_at, t.campaign_id) AS pos,
           count(*) OVER (PARTITION BY s.deal_id) AS n
    FROM in_scope s
    JOIN touches t ON t.lead_id = s.lead_id AND t.touched_at <= s.created_at
),
positioned AS (
    SELECT deal_id, campaign_id, pos, n,
           max(CASE WHEN touched_at <= mql_at THEN pos END) OVER (PARTITION BY deal_id) AS mql_pos,
           days_before - min(days_before) OVER (PARTITION BY deal_id) AS days_after_latest
    FROM eligible
)
SELECT s.deal_id, s.stage, s.close_date, CAST(s.created_at AS DATE) AS created_day, s.amount,
       p.campaign_id, p.pos, p.n, p.mql_pos, p.days_after_latest
FROM in_scope s
LEFT JOIN positioned p ON p.deal_id = s.deal_id
