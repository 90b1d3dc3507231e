-- Who follows each student of a cohort: the roster's tutor code (NULL when none).
-- Grain: one row per student of the cohort that a roster lists.
-- Parameters: $c (cohort id).
SELECT person AS student, tutor FROM roster
WHERE cohort_id = $c AND role = 'student'
ORDER BY person;
