-- Internship days against the pace to the minimum days, and the mission letter.
-- Grain: internship_records one row per cohort × student × date; mission_letter_records one
--   row per cohort × student with a mission-letter row; internship_pace_at(p_as_of) one row
--   per cohort × student.
-- Parameters: none for the tables; p_as_of (macro argument, a local DATE, inclusive).
-- Several rows for one student and date (two identities, two files): a cohort-specific row
-- beats a row for every cohort, then the latest file and line win; same for letters.
-- expected_days = internship_min_days × elapsed fraction of the cohort's calendar, in days:
-- (p_as_of − start + 1) / (end − start + 1), clamped to [0, 1]. behind = days_done <
-- internship_pace_ratio × expected_days. mission_letter_on = the validation date when on or
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
        row_number() OVER (
            PARTITION BY cs.cohort_id, cs.person_key
            ORDER BY (m.cohort_id IS NOT NULL) DESC, m.file_id DESC, m.line DESC
        ) AS n
    FROM mission_letters AS m
    JOIN persons AS p ON p.ident_id = m.ident_id
    JOIN cohort_students AS cs
        ON cs.person_key = p.person_key AND (m.cohort_id IS NULL OR m.cohort_id = cs.cohort_id)
)
SELECT cohort_id, person_key, validated_on FROM resolved WHERE n = 1;

CREATE OR REPLACE MACRO internship_pace_at(p_as_of) AS TABLE
WITH done AS (
    SELECT cohort_id, person_key, sum(days) AS days_done
    FROM internship_records
    WHERE day <= p_as_of
    GROUP BY cohort_id, person_key
),
calendar AS (
    SELECT
        c.cohort_id,
        least(greatest(CAST(p_as_of - c.start_date + 1 AS DOUBLE)
                       / CAST(c.end_date - c.start_date + 1 AS DOUBLE), 0.0), 1.0) AS fraction,
        k.mission_letter_deadline
    FROM cfg_cohorts AS c
    JOIN cfg_cohort_rules AS k ON k.cohort_id = c.cohort_id
)
SELECT
    cs.cohort_id AS cohort,
    cs.student,
    coalesce(d.days_done, 0.0) AS days_done,
    r.internship_min_days * c.fraction AS expected_days,
    coalesce(d.days_done, 0.0) < r.internship_pace_ratio * r.internship_min_days * c.fraction
        AS behind,
    CASE WHEN m.validated_on <= p_as_of THEN m.validated_on END AS mission_letter_on,
    coalesce(m.validated_on <= p_as_of, false) = false
        AND p_as_of > c.mission_letter_deadline AS mission_letter_late,
    c.mission_letter_deadline
FROM cohort_students AS cs
JOIN calendar AS c ON c.cohort_id = cs.cohort_id
CROSS JOIN cfg_programme AS r
LEFT JOIN done AS d ON d.cohort_id = cs.cohort_id AND d.person_key = cs.person_key
LEFT JOIN mission_letter_records AS m
    ON m.cohort_id = cs.cohort_id AND m.person_key = cs.person_key;
