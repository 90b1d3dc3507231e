-- The pseudonyms of a cohort's students (a follow-up must name one of them).
-- Grain: one row per student of the cohort.
-- Parameters: $c (cohort id).
SELECT student FROM cohort_students WHERE cohort_id = $c ORDER BY student;
