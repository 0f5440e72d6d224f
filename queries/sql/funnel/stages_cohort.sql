-- Returns the cohort funnel: the leads created in [$start, $end], each followed to the furthest stage it reached
-- (a stage counts as reached when the lead reached it or any later stage, so counts never grow down the funnel),
-- headed by the impressions campaign_spend delivered in the period.
-- Parameters: $start, $end (DATE, inclusive); $by ('none', 'channel', 'campaign', 'region', 'segment');
-- $regions, $segments (VARCHAR[] or NULL = all). Impressions have no region or segment: their count is NULL when
-- split or filtered by either. Cumulative conversion is measured from leads.
-- Grain: one row per (grp, stage), stages in funnel order, groups by leads descending.
WITH cohort AS (
    SELECT
        CASE $by WHEN 'channel' THEN l.channel
                 WHEN 'campaign' THEN coalesce(l.campaign_name, '(inbound)')
                 WHEN 'region' THEN l.region
                 WHEN 'segment' THEN l.segment
                 ELSE 'all' END AS grp,
        l.mql_at IS NOT NULL AS has_mql,
        l.sal_at IS NOT NULL AS has_sal,
        l.sql_at IS NOT NULL AS has_sql,
        l.has_deal,
        l.has_won
    FROM derived.lead_facts AS l
    WHERE l.created_at >= $start AND l.created_at < $end + INTERVAL 1 DAY
      AND ($regions IS NULL OR list_contains($regions, l.region))
      AND ($segments IS NULL OR list_contains($segments, l.segment))
),
counts AS (
    SELECT
        grp,
        count(*) AS leads,
        count(*) FILTER (WHERE has_mql OR has_sal OR has_sql OR has_deal) AS mql,
        count(*) FILTER (WHERE has_sal OR has_sql OR has_deal) AS sal,
        count(*) FILTER (WHERE has_sql OR has_deal) AS sql,
        count(*) FILTER (WHERE has_deal) AS opportunity,
        count(*) FILTER (WHERE has_won) AS won
    FROM cohort
    GROUP BY grp
),
attributable AS (
    SELECT $by IN ('none', 'channel', 'campaign') AND $regions IS NULL AND $segments IS NULL AS ok
),
impressions AS (
    SELECT
        CASE $by WHEN 'channel' THEN c.channel WHEN 'campaign' THEN c.name ELSE 'all' END AS grp,
        sum(s.impressions) AS impressions
    FROM campaign_spend AS s
    JOIN campaigns AS c ON c.campaign_id = s.campaign_id
    WHERE s.day BETWEEN $start AND $end AND (SELECT ok FROM attributable)
    GROUP BY 1
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
        coalesce(n.leads, 0) AS leads, coalesce(n.mql, 0) AS mql, coalesce(n.sal, 0) AS sal,
        coalesce(n.sql, 0) AS sql, coalesce(n.opportunity, 0) AS opportunity, coalesce(n.won, 0) AS won
    FROM groups AS g
    LEFT JOIN counts AS n ON n.grp = g.grp
    LEFT JOIN impressions AS i ON i.grp = g.grp
),
long AS (
    SELECT
        w.grp, s.stage_order, s.stage, w.leads AS group_leads,
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
    CASE WHEN stage_order >= 2 THEN CAST(count AS DOUBLE) / nullif(group_leads, 0) END AS cumulative_conversion
FROM long
ORDER BY group_leads DESC, grp, stage_order
