-- Won revenue credited to each channel by every attribution model, side by side
-- (queries.attribution.revenue_by_channel). Parameters: $start, $end (close_date of won deals, inclusive).
-- Reads the daily credit summary table per channel (derived.attribution_channel_credit_daily, or the live macro
-- for other settings).
-- Grain: one row per (model, channel); channel 'Unattributed' holds deals with no eligible touch, 'Unassigned' the
-- credit of campaigns without a channel.
WITH by_channel AS (
    SELECT model,
           coalesce(channel, 'Unattributed') AS channel,
           sum(credit) AS credit
    FROM derived.attribution_channel_credit_daily
    WHERE basis = 'won' AND day BETWEEN $start AND $end
    GROUP BY ALL
)
SELECT model,
       channel,
       CAST(credit AS DOUBLE) AS attributed_revenue,
       CAST(credit AS DOUBLE) / nullif(CAST(sum(credit) OVER (PARTITION BY model) AS DOUBLE), 0) AS share
FROM by_channel
ORDER BY model, channel = 'Unattributed', channel;
