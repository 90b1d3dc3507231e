-- The cohorts that have stored risk levels.
-- Grain: one row per cohort id found in risk_history_weeks.
-- Parameters: none.
SELECT DISTINCT cohort_id FROM risk_history_weeks ORDER BY cohort_id;
