-- Deadlines of a cohort counted by status for each student, as of each of several days.
-- Grain: one row per day × student: for each day, the rows of submission_summary.sql.
-- Parameters: $c (cohort id), $days (list of local days, each judged whole).
-- One query instead of one per day (the risk history judges every week of a cohort):
--   LATERAL expands the macro once per day.
SELECT d.as_of, s.student, s.late, s.missing, s.on_time, s.pending
FROM (SELECT unnest($days) AS as_of) AS d, LATERAL submission_summary_at(d.as_of) AS s
WHERE s.cohort = $c
ORDER BY d.as_of, s.student;
