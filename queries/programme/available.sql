-- Which data each indicator rests on exists for a cohort, so that a rule with no data says
-- "not evaluated" instead of firing.
-- Grain: one row, one boolean column per concern: activity and collective (some student has
--   a platform event), grades (some student has a grade), deadlines (the cohort has some),
--   submissions (deadlines, and a submissions file was ingested or some deadline has a cmid
--   and Moodle logs are loaded), internship (some internship row), mission_letters (some
--   student is in a mission-letters file; an empty validation date counts: it says "not
--   yet").
-- Parameters: $c (cohort id).
WITH activity AS (
    SELECT count(*) > 0 AS present FROM weekly_engagement WHERE cohort = $c AND events > 0
),
dated AS (
    SELECT count(*) > 0 AS present, count(cmid) > 0 AS with_cmid
    FROM deadlines WHERE cohort_id = $c
)
SELECT
    a.present AS activity,
    a.present AS collective,
    (SELECT count(*) > 0 FROM grade_records WHERE cohort_id = $c) AS grades,
    d.present AS deadlines,
    d.present AND ((SELECT count(*) > 0 FROM ingest_files WHERE kind = 'submissions')
                   OR (d.with_cmid AND (SELECT count(*) > 0 FROM raw_events))) AS submissions,
    (SELECT count(*) > 0 FROM internship_records WHERE cohort_id = $c) AS internship,
    (SELECT count(*) > 0 FROM mission_letter_records WHERE cohort_id = $c) AS mission_letters
FROM activity AS a CROSS JOIN dated AS d;
