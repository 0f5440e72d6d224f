-- Returns the first and last day with any lead, deal or spend: the span the period filter offers.
-- No parameters. Grain: one row. From the summary table (rebuilt when leads, deals or spend change).
SELECT first_day, last_day FROM derived.data_span
