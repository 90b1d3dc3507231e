-- The people of one cohort for the collaboration metrics: its students, and its teachers
--   and other staff when asked, with their roster group.
-- Grain: one row per person of the cohort (roster row, or fallback student of a cohort
--   without roster).
-- Parameters: $cohort (cohort id); $group (a roster group, or NULL for every group: with a
--   group, students of other groups are left out, staff are kept); $include_teachers
--   (boolean: false keeps students only).
-- The selection itself is the cohort_people macro (queries/pipeline/16_cohort_people.sql).
SELECT person AS student, group_name AS "group", role
FROM cohort_people($cohort, $group, $include_teachers)
ORDER BY role <> 'student', person;
