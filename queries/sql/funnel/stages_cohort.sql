-- Returns the cohort funnel: the leads created in [$start, $end], each followed to the furthest stage it reached
-- (a stage counts as reached when the lead reached it or any later stage, so counts never grow down the funnel),
-- headed by the impressions campaign_spend delivered in the period.
-- Parameters: $start, $end (DATE, inclusive); $by ('none', 'channel', 'campaign', 'region', 'segment');
-- $regions, $segments (VARCHAR[] or NULL = all). A lead without a channel, region or segment is in the group
-- 'Unassigned', which the filters match too. Impressions have no region or segment: their count is NULL when split or
-- filtered by either; it sums the campaign days that report impressions, campaign_days counts the group's campaign days
-- in the period and days_without_impressions those that report none (left out; both NULL with the count). Cumulative conversion is measured
-- from leads. leads_without_created_date: the leads in the filters' scope (any group) with no created date, in no
-- period's cohort: the same number on every row.
-- Grain: one row per (grp, stage), stages in funnel order, groups by leads descending.
WITH attributable AS (
    SELECT $by IN ('none', 'channel', 'campaign') AND $regions IS NULL AND $segments IS NULL AS ok
),
-- Only one branch of each UNION ALL below reads anything: DuckDB drops a branch whose $by test is false.
counts AS (
    -- Split by campaign: the period's leads one by one (derived.lead_facts has the campaign's name).
    SELECT
        coalesce(l.campaign_name, '(inbound)') AS grp,
        count(*) AS leads,
        count(*) FILTER (WHERE formulas.reached_mql(l.mql_at, l.sal_at, l.sql_at, l.has_deal)) AS mql,
        count(*) FILTER (WHERE formulas.reached_sal(l.sal_at, l.sql_at, l.has_deal)) AS sal,
        count(*) FILTER (WHERE formulas.reached_sql(l.sql_at, l.has_deal)) AS sql,
        count(*) FILTER (WHERE l.has_deal) AS opportunity,
        count(*) FILTER (WHERE l.has_won) AS won
    FROM derived.lead_facts AS l
    WHERE $by = 'campaign'
      AND l.created_at >= $start AND l.created_at < $end + INTERVAL 1 DAY
      AND ($regions IS NULL OR list_contains($regions, l.region))
      AND ($segments IS NULL OR list_contains($segments, l.segment))
    GROUP BY 1
    UNION ALL
    -- Otherwise the same counts, summed over the period's days of derived.lead_cohort_daily.
    SELECT
        CASE $by WHEN 'channel' THEN d.channel WHEN 'region' THEN d.region WHEN 'segment' THEN d.segment
                 ELSE 'all' END AS grp,
        sum(d.leads), sum(d.mql), sum(d.sal), sum(d.sql), sum(d.opportunity), sum(d.won)
    FROM derived.lead_cohort_daily AS d
    WHERE $by <> 'campaign'
      AND d.day BETWEEN $start AND $end
      AND ($regions IS NULL OR list_contains($regions, d.region))
      AND ($segments IS NULL OR list_contains($segments, d.segment))
    GROUP BY 1
),
impressions AS (
    SELECT c.name AS grp, sum(s.impressions) AS impressions, count(*) AS campaign_days,
           count(*) - count(s.impressions) AS days_without_impressions
    FROM campaign_spend AS s
    JOIN campaigns AS c ON c.campaign_id = s.campaign_id
    WHERE $by = 'campaign' AND s.day BETWEEN $start AND $end AND (SELECT ok FROM attributable)
    GROUP BY 1
    UNION ALL
    -- derived.campaign_spend_daily: impressions per day and channel.
    -- A group none of whose days reports impressions has none known (NULL), as in the campaign branch.
    SELECT CASE $by WHEN 'channel' THEN d.channel ELSE 'all' END AS grp,
           CASE WHEN sum(d.days_without_impressions) < sum(d.campaign_days) THEN sum(d.impressions) END AS impressions,
           sum(d.campaign_days) AS campaign_days, sum(d.days_without_impressions) AS days_without_impressions
    FROM derived.campaign_spend_daily AS d
    WHERE $by <> 'campaign' AND d.day BETWEEN $start AND $end AND (SELECT ok FROM attributable)
    GROUP BY 1
),
undated AS (
    -- The leads of the filters' scope that no cohort holds (derived.lead_cohort_daily's day NULL).
    SELECT CAST(coalesce(sum(d.leads), 0) AS BIGINT) AS leads
    FROM derived.lead_cohort_daily AS d
    WHERE d.day IS NULL
      AND ($regions IS NULL OR list_contains($regions, d.region))
      AND ($segments IS NULL OR list_contains($segments, d.segment))
)
-- The counts as rows, one per (group, stage), with the conversions: formulas.funnel_stages, as stages_period.sql does.
SELECT *
FROM formulas.funnel_stages((SELECT list(n) FROM counts AS n), (SELECT list(i) FROM impressions AS i),
                            (SELECT ok FROM attributable), $by = 'none', (SELECT leads FROM undated))
