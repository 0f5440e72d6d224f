-- Returns spend on brand-objective campaigns per month (all regions: campaigns carry no region).
-- Parameters: $start, $end (DATE; months whose 1st lies in [month of start, end]). Months without spend are
-- absent. Grain: one row per month.
SELECT CAST(date_trunc('month', s.day) AS DATE) AS month,
       CAST(sum(s.spend) AS DOUBLE) AS brand_spend
FROM campaign_spend AS s
JOIN campaigns AS c USING (campaign_id)
WHERE c.objective = 'brand'
  AND s.day >= CAST(date_trunc('month', CAST($start AS DATE)) AS DATE)
  AND s.day <= last_day(CAST($end AS DATE))
GROUP BY 1
ORDER BY 1
