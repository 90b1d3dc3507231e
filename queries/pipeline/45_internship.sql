-- Internship days against the pace to the minimum days, and the mission letter.
-- Grain: internship_records one row per cohort × student × date; mission_letter_records one
--   row per cohort × student with a mission-letter row; internship_pace_at(p_as_of) one row
--   per cohort × student.
-- Parameters: none for the tables; p_as_of (macro argument, a local DATE, inclusive).
-- Several rows for one student and date (two identities, two files): a cohort-specific row
-- beats a row for every cohort, then the latest file and line win; same for letters.
-- The pace starts at the student's internship start: the internship_start of a mission
-- letter validated by p_as_of (an agreement not signed yet does not count), with its
-- days_per_week,
-- else the first internship day declared up to p_as_of; before it (or with neither) nothing is expected.
-- expected_days, in whole days (floor), capped at internship_min_days: with the letter's
-- days_per_week, that many days per whole week since the start; otherwise
-- internship_min_days × the elapsed fraction from the start to the cohort's end,
-- (p_as_of − start + 1) / (end − start + 1). behind = days_done < internship_pace_ratio ×
-- expected_days. no_internship = no day declared, no start given, and p_as_of at least
-- internship_grace_weeks weeks after the cohort's start (its own reason, not a pace
-- shortfall). mission_letter_on = the validation date when on or
-- before p_as_of; mission_letter_late = no letter by p_as_of and p_as_of after the cohort's
-- mission_letter_deadline (cfg_cohort_rules).
CREATE OR REPLACE TABLE internship_records AS
WITH resolved AS (
    SELECT
        cs.cohort_id,
        cs.person_key,
        i.day,
        i.days,
        row_number() OVER (
            PARTITION BY cs.cohort_id, cs.person_key, i.day
            ORDER BY (i.cohort_id IS NOT NULL) DESC, i.file_id DESC, i.line DESC
        ) AS n
    FROM internship_days AS i
    JOIN persons AS p ON p.ident_id = i.ident_id
    JOIN cohort_students AS cs
        ON cs.person_key = p.person_key AND (i.cohort_id IS NULL OR i.cohort_id = cs.cohort_id)
)
SELECT cohort_id, person_key, day, days FROM resolved WHERE n = 1;

CREATE OR REPLACE TABLE mission_letter_records AS
WITH resolved AS (
    SELECT
        cs.cohort_id,
        cs.person_key,
        m.validated_on,
        m.internship_start,
        m.days_per_week,
        row_number() OVER (
            PARTITION BY cs.cohort_id, cs.person_key
            ORDER BY (m.cohort_id IS NOT NULL) DESC, m.file_id DESC, m.line DESC
        ) AS n
    FROM mission_letters AS m
    JOIN persons AS p ON p.ident_id = m.ident_id
    JOIN cohort_students AS cs
        ON cs.person_key = p.person_key AND (m.cohort_id IS NULL OR m.cohort_id = cs.cohort_id)
)
SELECT cohort_id, person_key, validated_on, internship_start, days_per_week
FROM resolved WHERE n = 1;

CREATE OR REPLACE MACRO internship_pace_at(p_as_of) AS TABLE
WITH done AS (
    SELECT cohort_id, person_key, sum(days) AS days_done
    FROM internship_records
    WHERE day <= p_as_of
    GROUP BY cohort_id, person_key
),
first_days AS (
    SELECT cohort_id, person_key, min(day) AS first_day
    FROM internship_records
    WHERE days > 0 AND day <= p_as_of
    GROUP BY cohort_id, person_key
),
paced AS (
    SELECT
        cs.cohort_id,
        cs.person_key,
        cs.student,
        coalesce(CASE WHEN m.validated_on <= p_as_of THEN m.internship_start END, f.first_day)
            AS internship_start,
        CASE WHEN m.validated_on <= p_as_of THEN m.days_per_week END AS days_per_week,
        m.validated_on,
        c.start_date,
        c.end_date,
        k.mission_letter_deadline,
        coalesce(d.days_done, 0.0) AS days_done
    FROM cohort_students AS cs
    JOIN cfg_cohorts AS c ON c.cohort_id = cs.cohort_id
    JOIN cfg_cohort_rules AS k ON k.cohort_id = cs.cohort_id
    LEFT JOIN done AS d ON d.cohort_id = cs.cohort_id AND d.person_key = cs.person_key
    LEFT JOIN first_days AS f ON f.cohort_id = cs.cohort_id AND f.person_key = cs.person_key
    LEFT JOIN mission_letter_records AS m
        ON m.cohort_id = cs.cohort_id AND m.person_key = cs.person_key
),
expected AS (
    SELECT
        p.*,
        CASE WHEN p.internship_start IS NULL OR p_as_of < p.internship_start THEN 0.0
             WHEN p.days_per_week IS NOT NULL THEN
                 least(r.internship_min_days,
                       floor(floor(CAST(p_as_of - p.internship_start + 1 AS DOUBLE) / 7)
                             * p.days_per_week))
             ELSE floor(r.internship_min_days * least(
                 CAST(p_as_of - p.internship_start + 1 AS DOUBLE)
                 / greatest(CAST(p.end_date - p.internship_start + 1 AS DOUBLE), 1.0), 1.0))
        END AS expected_days
    FROM paced AS p
    CROSS JOIN cfg_programme AS r
)
SELECT
    e.cohort_id AS cohort,
    e.student,
    e.days_done,
    e.expected_days,
    e.days_done < r.internship_pace_ratio * e.expected_days AS behind,
    CASE WHEN e.validated_on <= p_as_of THEN e.validated_on END AS mission_letter_on,
    coalesce(e.validated_on <= p_as_of, false) = false
        AND p_as_of > e.mission_letter_deadline AS mission_letter_late,
    e.mission_letter_deadline,
    e.internship_start,
    e.days_per_week,
    e.internship_start IS NULL AND e.days_done = 0
        AND p_as_of >= e.start_date + 7 * r.internship_grace_weeks AS no_internship,
    e.start_date AS year_start
FROM expected AS e
CROSS JOIN cfg_programme AS r;
