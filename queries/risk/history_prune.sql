-- Drop the stored weeks of a cohort that are no longer complete weeks of its table (a file
-- forgotten, the calendar changed).
-- Grain: one DELETE per table.
-- Parameters: $cohort (cohort id), $keep (list of the Mondays to keep).
DELETE FROM risk_history WHERE cohort_id = $cohort AND NOT list_contains($keep, week_start);
DELETE FROM risk_history_weeks
WHERE cohort_id = $cohort AND NOT list_contains($keep, week_start);
