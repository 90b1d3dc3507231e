-- The students of a cohort, by pseudonym.
-- Grain: one row per student.
-- Parameters: $c (cohort id).
SELECT student FROM cohort_students WHERE cohort_id = $c ORDER BY student;
