-- Returns the reverse funnel: what each channel must deliver, placed in the month it is needed, to close the revenue
-- of the plan months. Columns: month, channel, required_revenue, required_pipeline, required_sqls, required_mqls,
-- required_leads, forecast_leads, gap, already_past.
-- Parameters: $start_month (DATE), $months (plan length), $team (VARCHAR or NULL; 'Unassigned': the reps without a
-- team), $revenue_source ('quota': the sum
-- of the scope's rep quotas; 'joint_target': targets metric 'revenue', team 'joint'); the rates measured by
-- plan/funnel_rates: $win_rate_value, $sourced_share, $pipeline_per_sql, $sql_rate, $mql_rate, $close_lag_months,
-- $sql_to_deal_lag_months, $mql_to_sql_lag_months, $lead_to_mql_lag_months; and the channel mix measured by
-- plan/channel_mix: $channels, $lead_shares, $leads_per_day (lists in the same order).
-- For revenue R closing in month M: pipeline = R / win_rate_value created in M − close lag; the marketing-sourced part
-- (× sourced_share) is split over lead channels by lead share, the rest is channel 'sales_sourced' (no leads);
-- SQLs = pipeline / pipeline_per_sql one SQL→deal lag earlier; MQLs = SQLs / sql_rate one MQL→SQL lag earlier;
-- leads = MQLs / mql_rate one lead→MQL lag earlier. forecast_leads = the channel's run rate × days of the month;
-- gap = required_leads − forecast_leads (positive: short of leads). already_past: the month is before $start_month.
-- Grain: one row per (month, channel), months from the earliest need to the last plan month.
WITH plan_months AS (
    SELECT CAST(m AS DATE) AS month
    FROM range(CAST($start_month AS DATE), CAST($start_month AS DATE) + to_months(CAST($months AS INTEGER)),
               INTERVAL 1 MONTH) AS t(m)
),
team_reps AS (
    SELECT rep_id FROM reps WHERE $team IS NULL OR coalesce(team, 'Unassigned') = $team
),
quota_revenue AS (
    SELECT month, CAST(sum(amount) AS DOUBLE) AS revenue
    FROM quotas
    WHERE rep_id IN (SELECT rep_id FROM team_reps)
    GROUP BY month
),
target_revenue AS (
    SELECT month, sum(value) AS revenue
    FROM targets
    WHERE metric = 'revenue' AND team = 'joint'
    GROUP BY month
),
revenue AS (
    SELECT p.month,
           coalesce(CASE WHEN $revenue_source = 'joint_target' THEN t.revenue ELSE q.revenue END, 0) AS revenue
    FROM plan_months AS p
    LEFT JOIN quota_revenue AS q USING (month)
    LEFT JOIN target_revenue AS t USING (month)
),
mix AS (
    SELECT unnest(CAST($channels AS VARCHAR[])) AS channel,
           unnest(CAST($lead_shares AS DOUBLE[])) AS lead_share,
           unnest(CAST($leads_per_day AS DOUBLE[])) AS leads_per_day
),
shares AS (
    SELECT channel, TRUE AS from_leads, lead_share * CAST($sourced_share AS DOUBLE) AS revenue_share, leads_per_day
    FROM mix
    UNION ALL
    SELECT 'sales_sourced', FALSE, 1 - CAST($sourced_share AS DOUBLE), NULL
),
needs AS (
    SELECT r.month AS close_month,
           s.channel,
           s.from_leads,
           r.revenue * s.revenue_share AS revenue,
           r.revenue * s.revenue_share / nullif(CAST($win_rate_value AS DOUBLE), 0) AS pipeline
    FROM revenue AS r
    CROSS JOIN shares AS s
),
staged AS (
    SELECT *,
           CASE WHEN from_leads THEN pipeline / nullif(CAST($pipeline_per_sql AS DOUBLE), 0) END AS sqls
    FROM needs
),
staged_mqls AS (
    SELECT *, sqls / nullif(CAST($sql_rate AS DOUBLE), 0) AS mqls FROM staged
),
staged_leads AS (
    SELECT *, mqls / nullif(CAST($mql_rate AS DOUBLE), 0) AS leads FROM staged_mqls
),
lags AS (
    SELECT CAST($close_lag_months AS INTEGER) AS close_lag,
           CAST($close_lag_months AS INTEGER) + CAST($sql_to_deal_lag_months AS INTEGER) AS sql_lag,
           CAST($close_lag_months AS INTEGER) + CAST($sql_to_deal_lag_months AS INTEGER)
               + CAST($mql_to_sql_lag_months AS INTEGER) AS mql_lag,
           CAST($close_lag_months AS INTEGER) + CAST($sql_to_deal_lag_months AS INTEGER)
               + CAST($mql_to_sql_lag_months AS INTEGER) + CAST($lead_to_mql_lag_months AS INTEGER) AS lead_lag
),
placed AS (
    SELECT close_month AS month, channel, 'revenue' AS measure, revenue AS value FROM staged_leads
    UNION ALL
    SELECT CAST(close_month - to_months(close_lag) AS DATE), channel, 'pipeline', pipeline FROM staged_leads, lags
    UNION ALL
    SELECT CAST(close_month - to_months(sql_lag) AS DATE), channel, 'sqls', sqls FROM staged_leads, lags
    WHERE from_leads
    UNION ALL
    SELECT CAST(close_month - to_months(mql_lag) AS DATE), channel, 'mqls', mqls FROM staged_leads, lags
    WHERE from_leads
    UNION ALL
    SELECT CAST(close_month - to_months(lead_lag) AS DATE), channel, 'leads', leads FROM staged_leads, lags
    WHERE from_leads
),
spine AS (
    SELECT CAST(m AS DATE) AS month
    FROM range((SELECT min(month) FROM placed), CAST($start_month AS DATE) + to_months(CAST($months AS INTEGER)),
               INTERVAL 1 MONTH) AS t(m)
),
totals AS (
    SELECT month, channel,
           sum(value) FILTER (WHERE measure = 'revenue') AS revenue,
           sum(value) FILTER (WHERE measure = 'pipeline') AS pipeline,
           sum(value) FILTER (WHERE measure = 'sqls') AS sqls,
           sum(value) FILTER (WHERE measure = 'mqls') AS mqls,
           sum(value) FILTER (WHERE measure = 'leads') AS leads
    FROM placed
    GROUP BY month, channel
),
grid AS (
    SELECT sp.month, s.channel, s.from_leads,
           s.leads_per_day * date_diff('day', sp.month, CAST(sp.month + INTERVAL 1 MONTH AS DATE)) AS forecast_leads
    FROM spine AS sp
    CROSS JOIN shares AS s
)
SELECT
    g.month,
    g.channel,
    coalesce(t.revenue, 0) AS required_revenue,
    coalesce(t.pipeline, 0) AS required_pipeline,
    CASE WHEN g.from_leads THEN coalesce(t.sqls, 0) END AS required_sqls,
    CASE WHEN g.from_leads THEN coalesce(t.mqls, 0) END AS required_mqls,
    CASE WHEN g.from_leads THEN coalesce(t.leads, 0) END AS required_leads,
    g.forecast_leads,
    CASE WHEN g.from_leads THEN coalesce(t.leads, 0) - g.forecast_leads END AS gap,
    g.month < CAST($start_month AS DATE) AS already_past
FROM grid AS g
LEFT JOIN totals AS t USING (month, channel)
ORDER BY g.month, g.from_leads DESC, g.channel
