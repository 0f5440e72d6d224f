-- Inputs: derived.lead_facts
-- Summary table: the leads of each created day per channel, region and segment, counted by the furthest funnel stage
-- they reached, so the cohort funnel (funnel/stages_cohort.sql) sums a period's days instead of testing every lead's
-- stages: at scale 200 a year is 4.1 M leads but about 48,000 rows here. Not per campaign (there are nearly as many
-- campaign-days as leads): the campaign split reads derived.lead_facts. No parameters.
-- Grain: one row per (day, channel, region, segment) with leads; day = the created_at day (NULL: the leads without a
-- created date, in no cohort); a value a lead lacks is 'Unassigned' (derived.lead_facts). leads: created that day;
-- mql, sal, sql, opportunity, won: how many of them reached that stage or a later one (the cohort rule: mql = an
-- mql_at, sal_at, sql_at or a deal; sal = sal_at, sql_at or a deal; sql = sql_at or a deal; opportunity = a deal;
-- won = a won deal). Sorted by day, so a period's filter skips the other row groups.
SELECT
    CAST(created_at AS DATE) AS day,
    channel,
    region,
    segment,
    count(*) AS leads,
    count(*) FILTER (WHERE formulas.reached_mql(mql_at, sal_at, sql_at, has_deal)) AS mql,
    count(*) FILTER (WHERE formulas.reached_sal(sal_at, sql_at, has_deal)) AS sal,
    count(*) FILTER (WHERE formulas.reached_sql(sql_at, has_deal)) AS sql,
    count(*) FILTER (WHERE has_deal) AS opportunity,
    count(*) FILTER (WHERE has_won) AS won
FROM derived.lead_facts
GROUP BY ALL
ORDER BY day, channel, region, segment
