-- Cumulative online hours against the pace, for the weeks starting on or before a day.
-- Grain: one row per student × week.
-- Parameters: $c (cohort id), $as_of (the local day judged on, whole).
SELECT student, week_start, cumulative_hours, pace_hours, hours, in_progress
FROM cumulative_pace WHERE cohort = $c AND week_start <= $as_of
ORDER BY student, week_start;
