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
),
groups AS (
    SELECT grp FROM counts
    UNION SELECT grp FROM impressions
    UNION SELECT 'all' WHERE $by = 'none'
),
wide AS (
    SELECT
        g.grp,
        CASE WHEN (SELECT ok FROM attributable) THEN coalesce(i.impressions, 0) END AS impressions,
        CASE WHEN (SELECT ok FROM attributable) THEN CAST(coalesce(i.campaign_days, 0) AS BIGINT) END
            AS campaign_days,
        CASE WHEN (SELECT ok FROM attributable) THEN CAST(coalesce(i.days_without_impressions, 0) AS BIGINT) END
            AS days_without_impressions,
        coalesce(n.leads, 0) AS leads, coalesce(n.mql, 0) AS mql, coalesce(n.sal, 0) AS sal,
        coalesce(n.sql, 0) AS sql, coalesce(n.opportunity, 0) AS opportunity, coalesce(n.won, 0) AS won
    FROM groups AS g
    LEFT JOIN counts AS n ON n.grp = g.grp
    LEFT JOIN impressions AS i ON i.grp = g.grp
),
long AS (
    SELECT
        w.grp, s.stage_order, s.stage, w.leads AS group_leads, w.campaign_days, w.days_without_impressions,
        CAST(CASE s.stage WHEN 'impressions' THEN w.impressions WHEN 'leads' THEN w.leads WHEN 'mql' THEN w.mql
                          WHEN 'sal' THEN w.sal WHEN 'sql' THEN w.sql WHEN 'opportunity' THEN w.opportunity
                          ELSE w.won END AS BIGINT) AS count
    FROM wide AS w
    CROSS JOIN (VALUES (1, 'impressions'), (2, 'leads'), (3, 'mql'), (4, 'sal'), (5, 'sql'), (6, 'opportunity'),
                       (7, 'won')) AS s (stage_order, stage)
)
SELECT
    grp,
    stage,
    count,
    CAST(count AS DOUBLE) / nullif(lag(count) OVER (PARTITION BY grp ORDER BY stage_order), 0) AS step_conversion,
    CASE WHEN stage_order >= 2 THEN CAST(count AS DOUBLE) / nullif(group_leads, 0) END AS cumulative_conversion,
    campaign_days,
    days_without_impressions,
    (SELECT leads FROM undated) AS leads_without_created_date
FROM long
ORDER BY group_leads DESC, grp, stage_order
