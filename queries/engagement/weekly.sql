-- The weekly engagement table of one cohort, as exported (the contract columns first).
-- Grain: one row per student × programme week of the cohort.
-- Parameters: $c (cohort id).
SELECT student, week_start, iso_week, hours, sessions, active_days, events, target_hours,
       below_target, cohort, holiday, in_progress, group_name AS "group"
FROM weekly_engagement WHERE cohort = $c ORDER BY student, week_start;
