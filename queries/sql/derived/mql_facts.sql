-- Inputs: derived.lead_facts
-- Refresh by lead_id: derived.lead_facts
-- Sorted by: mql_at, lead_id
-- Summary table: one row per MQL (a lead with an mql_at), sorted by mql_at, so the handoff queries (funnel/sla.sql,
-- funnel/breaches.sql, funnel/rejection_reasons.sql) and the daily summary table derived.mql_daily read a period's MQLs
-- from a few row groups instead of scanning every lead. No parameters. Columns from derived.lead_facts (channel,
-- region, segment and owner_team 'Unassigned' where unknown; contact_attempts NULL when not recorded), plus
-- response_seconds: first_contact_at − mql_at in whole seconds (NULL when never contacted; a contact before the MQL
-- counts as 0), reached_sql: an SQL or a deal, and accepted: a SAL, an SQL or a deal. Seconds, not hours, because
-- DuckDB's exact quantile of a BIGINT column is two to three times faster than of DOUBLEs.
SELECT
    mql_at, lead_id, company, channel, region, segment, owner_rep_id, owner_team,
    first_contact_at, contact_attempts, rejected_at, reject_reason,
    CASE WHEN first_contact_at IS NOT NULL
         THEN greatest(0, date_diff('second', mql_at, first_contact_at)) END AS response_seconds,
    formulas.reached_sql(sql_at, has_deal) AS reached_sql,
    formulas.reached_sal(sal_at, sql_at, has_deal) AS accepted
FROM derived.lead_facts
WHERE mql_at IS NOT NULL
