-- One student's internship days week by week, against the pace to the minimum days.
-- Grain: one row per calendar week of the cohort, from its first week to the week of $as_of.
-- Parameters: $cohort (cohort id), $student (the student's pseudonym), $as_of (local DATE,
--   inclusive: the report week's Sunday).
-- days = internship days dated in the week (up to $as_of); cumulative_days = every day dated
-- up to the week's last day (its Sunday, or $as_of); expected_days = internship_min_days ×
-- the elapsed fraction of the cohort's calendar on that last day, and threshold_days =
-- internship_pace_ratio × expected_days, as internship_pace_at in 45_internship.sql (so the
-- last row agrees with it).
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
calendar AS (
    SELECT c.start_date, c.end_date, p.internship_min_days, p.internship_pace_ratio
    FROM cfg_cohorts AS c
    CROSS JOIN cfg_programme AS p
    WHERE c.cohort_id = $cohort
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
        c.internship_min_days * least(greatest(
            CAST(w.last_day - c.start_date + 1 AS DOUBLE)
            / CAST(c.end_date - c.start_date + 1 AS DOUBLE), 0.0), 1.0) AS expected_days,
        c.internship_pace_ratio
    FROM weeks AS w
    CROSS JOIN calendar AS c
)
SELECT week_start, iso_week, holiday, days, cumulative_days, expected_days,
       internship_pace_ratio * expected_days AS threshold_days
FROM paced
ORDER BY week_start;
