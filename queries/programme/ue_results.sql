-- UE results of a cohort's students as of a day: each configured UE's weighted mean.
-- Grain: one row per student × configured UE (configuration order).
-- Parameters: $c (cohort id), $as_of (the local day judged on, whole).
SELECT student, ue, semester, coefficient, mean, below_pass, title, assessments
FROM ue_results_at($as_of) WHERE cohort = $c ORDER BY student, position;
