-- The students of each configured cohort.
-- Grain: one row per cohort and student.
-- Parameters: $tz (programme timezone, to turn the cohort's local dates into instants).
-- Roster members whose role is 'student' for the cohort. A cohort without any roster row
-- falls back to every person with an event within its dates who is not listed with another
-- role in any roster (from_roster = false; the API warns).
CREATE OR REPLACE TABLE cohort_students AS
WITH staff AS (
    SELECT DISTINCT person FROM roster WHERE role <> 'student'
),
unrostered AS (
    SELECT
        c.cohort_id,
        CAST(c.start_date AS TIMESTAMP) AT TIME ZONE $tz AS first_instant,
        CAST(c.end_date + INTERVAL 1 DAY AS TIMESTAMP) AT TIME ZONE $tz AS after_instant
    FROM cfg_cohorts AS c
    WHERE NOT EXISTS (SELECT 1 FROM roster AS r WHERE r.cohort_id = c.cohort_id)
),
active AS (
    SELECT DISTINCT u.cohort_id, e.ident_id
    FROM unrostered AS u
    JOIN raw_events AS e ON e.ts >= u.first_instant AND e.ts < u.after_instant
)
SELECT r.cohort_id, p.person_key, r.person AS student, r.group_name, true AS from_roster
FROM roster AS r
JOIN cfg_cohorts AS c ON c.cohort_id = r.cohort_id
JOIN (SELECT DISTINCT person, person_key FROM persons) AS p ON p.person = r.person
WHERE r.role = 'student'
UNION
SELECT a.cohort_id, p.person_key, p.person AS student, CAST(NULL AS VARCHAR) AS group_name,
       false AS from_roster
FROM active AS a
JOIN persons AS p ON p.ident_id = a.ident_id
WHERE p.person NOT IN (SELECT person FROM staff);
