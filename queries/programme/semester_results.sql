-- Each semester's result for a cohort's students as of a day: mean, status, blocking UEs.
-- Grain: one row per student × configured semester (configuration order).
-- Parameters: $c (cohort id), $as_of (the local day judged on, whole).
SELECT student, semester, mean, status, blocking_ues
FROM semester_results_at($as_of) WHERE cohort = $c ORDER BY student, semester_position;
