-- The students of one cohort: pseudonym, group, whether a roster lists them.
-- Grain: one row per student of the cohort, by pseudonym.
-- Parameters: $c (cohort id).
SELECT student, group_name AS "group", from_roster
FROM cohort_students WHERE cohort_id = $c ORDER BY student;
