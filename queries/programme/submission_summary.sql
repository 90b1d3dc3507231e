-- Deadlines of a cohort counted by status for each student as of a day.
-- Grain: one row per student.
-- Parameters: $c (cohort id), $as_of (the local day judged on, whole).
SELECT student, late, missing, on_time, pending
FROM submission_summary_at($as_of) WHERE cohort = $c ORDER BY student;
