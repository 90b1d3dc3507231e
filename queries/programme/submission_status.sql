-- Each deadline of a cohort for each student as of a day: on time, late, missing, pending.
-- Grain: one row per student × deadline, by due time.
-- Parameters: $c (cohort id), $as_of (the local day judged on, whole).
SELECT student, ue, assignment, due, submitted_at, status, late_hours, source, cmid
FROM submission_status_at($as_of) WHERE cohort = $c
ORDER BY student, due, assignment;
