-- One student's internship days week by week, against the pace to the minimum days.
-- Grain: one row per calendar week of the cohort, from its first week to the week of $as_of.
-- Parameters: $cohort (cohort id), $student (the student's pseudonym), $as_of (local DATE,
--   inclusive: the report week's Sunday).
-- days = internship days dated in the week (up to $as_of); cumulative_days = every day dated
-- up to the week's last day (its Sunday, or $as_of); expected_days on that last day and
-- threshold_days = internship_pace_ratio × expected_days exactly as internship_pace_at in
-- 45_internship.sql computes them (so the last row agrees with it): whole days from the
-- internship's start (a mission letter's validated by then, else the first day declared by
-- then), by that letter's days per week, else the minimum days spread from the start to the cohort's end.
WITH weeks AS (
    SELECT w.week_start, w.iso_week, w.holiday,
           least(CAST(w.week_start + INTERVAL 6 DAY AS DATE), CAST($as_of AS DATE)) AS last_day
    FROM cfg_calendar_weeks AS w
    WHERE w.cohort_id = $cohort AND w.week_start <= CAST($as_of AS DATE)
),
mine AS (
    SELECT r.day, r.days
    FROM internship_records AS r
    JOIN cohort_students AS s ON s.cohort_id = r.cohort_id AND s.person_key = r.person_key
    WHERE s.cohort_id = $cohort AND s.student = $student AND r.day <= CAST($as_of AS DATE)
),
letter AS (
    SELECT max(m.internship_start) AS internship_start, max(m.days_per_week) AS days_per_week,
           max(m.validated_on) AS validated_on
    FROM mission_letter_records AS m
    JOIN cohort_students AS s ON s.cohort_id = m.cohort_id AND s.person_key = m.person_key
    WHERE s.cohort_id = $cohort AND s.student = $student
),
calendar AS (
    SELECT c.start_date, c.end_date, p.internship_min_days, p.internship_pace_ratio,
           l.internship_start, l.days_per_week, l.validated_on
    FROM cfg_cohorts AS c
    CROSS JOIN cfg_programme AS p
    CROSS JOIN letter AS l
    WHERE c.cohort_id = $cohort
),
started AS (
    SELECT
        w.*,
        coalesce(CASE WHEN c.validated_on <= w.last_day THEN c.internship_start END,
                 (SELECT min(m.day) FROM mine AS m WHERE m.days > 0 AND m.day <= w.last_day))
            AS start_day,
        CASE WHEN c.validated_on <= w.last_day THEN c.days_per_week END AS rhythm
    FROM weeks AS w
    CROSS JOIN calendar AS c
),
paced AS (
    SELECT
        w.week_start,
        w.iso_week,
        w.holiday,
        coalesce((SELECT sum(m.days) FROM mine AS m
                  WHERE m.day >= w.week_start AND m.day <= w.last_day), 0.0) AS days,
        coalesce((SELECT sum(m.days) FROM mine AS m WHERE m.day <= w.last_day), 0.0)
            AS cumulative_days,
        CASE WHEN w.start_day IS NULL OR w.last_day < w.start_day THEN 0.0
             WHEN w.rhythm IS NOT NULL THEN
                 least(c.internship_min_days,
                       floor(floor(CAST(w.last_day - w.start_day + 1 AS DOUBLE) / 7)
                             * w.rhythm))
             ELSE floor(c.internship_min_days * least(
                 CAST(w.last_day - w.start_day + 1 AS DOUBLE)
                 / greatest(CAST(c.end_date - w.start_day + 1 AS DOUBLE), 1.0), 1.0))
        END AS expected_days,
        c.internship_pace_ratio
    FROM started AS w
    CROSS JOIN calendar AS c
)
SELECT week_start, iso_week, holiday, days, cumulative_days, expected_days,
       internship_pace_ratio * expected_days AS threshold_days
FROM paced
ORDER BY week_start;
