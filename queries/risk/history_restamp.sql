-- A stored week whose inputs are unchanged under a new pipeline stamp: keep its rows, record
-- the stamp it was checked against.
-- Grain: one row of risk_history_weeks updated.
-- Parameters: $cohort (cohort id), $week (Monday), $stamp.
UPDATE risk_history_weeks SET stamp = $stamp WHERE cohort_id = $cohort AND week_start = $week;
