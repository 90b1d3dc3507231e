-- The days a cohort's counted grades are dated: the only days its UE results can change.
-- Grain: one row per distinct graded_on (undated grades count from the start: no row).
-- Parameters: $c (cohort id).
SELECT DISTINCT graded_on
FROM grade_records
WHERE cohort_id = $c AND graded_on IS NOT NULL
ORDER BY graded_on;
