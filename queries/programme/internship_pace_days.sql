-- Internship days against the pace, and the mission letter, as of each of several days.
-- Grain: one row per day × student: for each day, the rows of internship_pace.sql.
-- Parameters: $c (cohort id), $days (list of local days, each judged whole).
-- One query instead of one per day (the risk history judges every week of a cohort):
--   LATERAL expands the macro once per day.
SELECT d.as_of, s.student, s.days_done, s.expected_days, s.behind, s.mission_letter_on,
       s.mission_letter_late, s.mission_letter_deadline, s.internship_start,
       s.days_per_week, s.no_internship, s.year_start
FROM (SELECT unnest($days) AS as_of) AS d, LATERAL internship_pace_at(d.as_of) AS s
WHERE s.cohort = $c
ORDER BY d.as_of, s.student;
