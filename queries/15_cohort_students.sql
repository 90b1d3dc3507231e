-- The students of each configured cohort.
-- Grain: one row per cohort and student pseudonym.
-- Parameters: $tz (programme timezone). Reads cfg_cohorts, roster, stg_events.
-- Roster members whose role is 'student' for the cohort. A cohort without any roster row
-- falls back to every person with an event within its dates who is not listed with another
-- role in any roster (from_roster = false; the API warns).
CREATE OR REPLACE TABLE cohort_students AS
WITH staff AS (
    SELECT DISTINCT person FROM roster WHERE role <> 'student'
),
unrostered AS (
    SELECT c.* FROM cfg_cohorts AS c
    WHERE NOT EXISTS (SELECT 1 FROM roster AS r WHERE r.cohort_id = c.cohort_id)
)
SELECT r.cohort_id, r.person AS student, r.group_name, true AS from_roster
FROM roster AS r
JOIN cfg_cohorts AS c ON c.cohort_id = r.cohort_id
WHERE r.role = 'student'
UNION ALL
SELECT DISTINCT u.cohort_id, s.person AS student, CAST(NULL AS VARCHAR) AS group_name,
       false AS from_roster
FROM unrostered AS u
JOIN stg_events($tz) AS s ON CAST(s.local_ts AS DATE) BETWEEN u.start_date AND u.end_date
WHERE s.person NOT IN (SELECT person FROM staff);
