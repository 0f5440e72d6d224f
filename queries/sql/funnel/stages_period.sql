-- Returns the period funnel: how many of each funnel event happened in [$start, $end] (leads created, MQL, SAL and
-- SQL reached, first opportunity created, first won deal closed), whenever the lead was created, headed by the
-- impressions campaign_spend delivered in the period. Counts can grow down the funnel (events of older leads).
-- Parameters: $start, $end (DATE, inclusive); $by ('none', 'channel', 'campaign', 'region', 'segment');
-- $regions, $segments (VARCHAR[] or NULL = all). A lead without a channel, region or segment is in the group
-- 'Unassigned', which the filters match too. Impressions have no region or segment: their count is NULL when split or
-- filtered by either; it sums the campaign days that report impressions, campaign_days counts the group's campaign days
-- in the period and days_without_impressions those that report none (left out; both NULL with the count). Cumulative conversion is measured
-- from leads. leads_without_created_date: the leads in the filters' scope (any group) with no created date: never
-- counted as created in a period, while their MQL, SAL, SQL, opportunity and won events count. The same number on
-- every row. Grain: one row per (grp, stage), stages in funnel order, groups by leads descending.
WITH lead_events AS (
    SELECT
        CASE $by WHEN 'channel' THEN l.channel
                 WHEN 'campaign' THEN coalesce(l.campaign_name, '(inbound)')
                 WHEN 'region' THEN l.region
                 WHEN 'segment' THEN l.segment
                 ELSE 'all' END AS grp,
        l.created_at, l.mql_at, l.sal_at, l.sql_at, l.first_deal_at, l.first_won_on
    FROM derived.lead_facts AS l
    WHERE ($regions IS NULL OR list_contains($regions, l.region))
      AND ($segments IS NULL OR list_contains($segments, l.segment))
),
counts AS (
    SELECT
        grp,
        count(*) FILTER (WHERE created_at >= $start AND created_at < $end + INTERVAL 1 DAY) AS leads,
        count(*) FILTER (WHERE mql_at >= $start AND mql_at < $end + INTERVAL 1 DAY) AS mql,
        count(*) FILTER (WHERE sal_at >= $start AND sal_at < $end + INTERVAL 1 DAY) AS sal,
        count(*) FILTER (WHERE sql_at >= $start AND sql_at < $end + INTERVAL 1 DAY) AS sql,
        count(*) FILTER (WHERE first_deal_at >= $start AND first_deal_at < $end + INTERVAL 1 DAY)
            AS opportunity,
        count(*) FILTER (WHERE first_won_on BETWEEN $start AND $end) AS won
    FROM lead_events
    GROUP BY grp
    HAVING leads + mql + sal + sql + opportunity + won > 0
),
attributable AS (
    SELECT $by IN ('none', 'channel', 'campaign') AND $regions IS NULL AND $segments IS NULL AS ok
),
impressions AS (
    SELECT
        CASE $by WHEN 'channel' THEN coalesce(c.channel, 'Unassigned') WHEN 'campaign' THEN c.name ELSE 'all' END
            AS grp,
        sum(s.impressions) AS impressions,
        count(*) AS campaign_days,
        count(*) - count(s.impressions) AS days_without_impressions
    FROM campaign_spend AS s
    JOIN campaigns AS c ON c.campaign_id = s.campaign_id
    WHERE s.day BETWEEN $start AND $end AND (SELECT ok FROM attributable)
    GROUP BY 1
),
undated AS (
    SELECT count(*) AS leads
    FROM derived.lead_facts AS l
    WHERE l.created_at IS NULL
      AND ($regions IS NULL OR list_contains($regions, l.region))
      AND ($segments IS NULL OR list_contains($segments, l.segment))
)
-- The counts as rows, one per (group, stage), with the conversions: formulas.funnel_stages, as stages_cohort.sql does.
SELECT *
FROM formulas.funnel_stages((SELECT list(n) FROM counts AS n), (SELECT list(i) FROM impressions AS i),
                            (SELECT ok FROM attributable), $by = 'none', (SELECT leads FROM undated))
