-- The year's validation of a cohort's students as of a day (every UE at the pass mark).
-- Grain: one row per student.
-- Parameters: $c (cohort id), $as_of (the local day judged on, whole).
SELECT student, year_mean, validated, blocking_ues, honours
FROM year_validation_at($as_of) WHERE cohort = $c ORDER BY student;
