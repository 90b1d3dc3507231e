-- Forum participation in collective weeks, as of each of several days.
-- Grain: one row per day × student × calendar week starting on or before that day: for
--   each day, the rows of collective_participation.sql.
-- Parameters: $c (cohort id), $days (list of local days, each judged whole).
-- One query instead of one per day (the risk history judges every week of a cohort):
--   LATERAL expands the macro once per day.
SELECT d.as_of, s.student, s.week_start, s.forum_events, s.collective_week, s.silent,
       s.holiday
FROM (SELECT unnest($days) AS as_of) AS d, LATERAL collective_participation_at(d.as_of) AS s
WHERE s.cohort = $c
ORDER BY d.as_of, s.student, s.week_start;
