-- The weeks of a cohort whose risk levels are stored, with their stamps.
-- Grain: one row per stored week.
-- Parameters: $cohort (cohort id).
SELECT week_start, holiday, stamp, inputs_hash
FROM risk_history_weeks
WHERE cohort_id = $cohort
ORDER BY week_start;
