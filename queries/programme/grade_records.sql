-- The grades counted for a cohort's students as of a day, one per assessment.
-- Grain: one row per student × UE × assessment (the record that wins in grade_records).
-- Parameters: $c (cohort id), $as_of (the local day judged on, whole).
SELECT student, ue, assessment_key, assessment, grade_on_20, weight
FROM grade_records
WHERE cohort_id = $c AND (graded_on IS NULL OR graded_on <= $as_of)
ORDER BY student, ue, assessment_key;
