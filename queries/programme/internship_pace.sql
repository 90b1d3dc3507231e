-- Internship days against the pace, and the mission letter, as of a day.
-- Grain: one row per student.
-- Parameters: $c (cohort id), $as_of (the local day judged on, whole).
SELECT student, days_done, expected_days, behind, mission_letter_on,
       mission_letter_late, mission_letter_deadline, internship_start, days_per_week,
       no_internship, year_start
FROM internship_pace_at($as_of) WHERE cohort = $c ORDER BY student;
