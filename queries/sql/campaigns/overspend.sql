-- Campaigns whose share of spend far exceeds their share of attributed pipeline (queries.campaigns.overspend).
-- Parameters: $start, $end (days, inclusive), $model, $min_ratio (how many times the pipeline share the spend
-- share must be). Reads the daily credit summary table derived.attribution_credit_daily (basis 'pipeline'; the
-- live macro of the same shape for other attribution settings, see queries.attribution.query_with_credit).
-- Grain: one row per campaign with spend in the period whose spend_share >= $min_ratio * pipeline_share,
-- largest gap (spend_share - pipeline_share) first. spend_share: the campaign's part of all campaign spend in the
-- period. attributed_pipeline: amount of deals created in the period (any stage) credited to the campaign by
-- $model; pipeline_share: its part of all pipeline created in the period, unattributed deals included. Both leave
-- out the deals without an amount: deals_without_amount counts those created in the period, deals_created every
-- deal created in it (both the same on every row). channel: 'Unassigned' for a campaign without one.
WITH delivery AS (
    SELECT campaign_id, sum(spend) AS spend
    FROM derived.campaign_activity_daily
    WHERE day BETWEEN $start AND $end
    GROUP BY campaign_id
    HAVING sum(spend) > 0
),
credit AS (
    SELECT campaign_id, credit
    FROM derived.attribution_credit_daily
    WHERE basis = 'pipeline' AND day BETWEEN $start AND $end AND model = $model
),
attributed AS (
    SELECT campaign_id, sum(credit) AS pipeline
    FROM credit
    WHERE campaign_id IS NOT NULL
    GROUP BY campaign_id
),
unpriced AS (
    SELECT CAST(coalesce(sum(deals_without_amount), 0) AS BIGINT) AS deals,
           CAST(coalesce(sum(deals), 0) AS BIGINT) AS created
    FROM derived.campaign_deals_daily
    WHERE event = 'created' AND day BETWEEN $start AND $end
),
shares AS (
    SELECT d.campaign_id, c.name AS campaign, coalesce(c.channel, 'Unassigned') AS channel, c.objective,
           CAST(d.spend AS DOUBLE) AS spend,
           -- Summed as DECIMAL: exact whatever order the rows arrive in.
           CAST(d.spend AS DOUBLE) / CAST(sum(d.spend) OVER () AS DOUBLE) AS spend_share,
           CAST(coalesce(a.pipeline, 0) AS DOUBLE) AS attributed_pipeline,
           CAST(coalesce(a.pipeline, 0) AS DOUBLE)
             / nullif((SELECT CAST(sum(credit) AS DOUBLE) FROM credit), 0) AS pipeline_share
    FROM delivery d
    JOIN campaigns c ON c.campaign_id = d.campaign_id
    LEFT JOIN attributed a ON a.campaign_id = d.campaign_id
)
SELECT campaign_id, campaign, channel, objective, spend, spend_share, attributed_pipeline,
       coalesce(pipeline_share, 0) AS pipeline_share,
       spend_share - coalesce(pipeline_share, 0) AS share_gap,
       (SELECT created FROM unpriced) AS deals_created,
       (SELECT deals FROM unpriced) AS deals_without_amount
FROM shares
WHERE spend_share >= $min_ratio * coalesce(pipeline_share, 0)
ORDER BY share_gap DESC, campaign_id;
