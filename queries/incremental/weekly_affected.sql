-- Who needs weekly engagement recomputed after new event files, and from which local week.
-- Grain: _refresh_persons one row per cohort student (person_key, student) with events in
--   files newer than $last_file_id, or new to a cohort of the stored weekly_engagement, with
--   from_week (NULL: every week).
-- Parameters: $tz (programme timezone), $timeout_seconds (inactivity timeout), $last_file_id
--   (the highest ingest_files id the stored weekly_engagement covers).
-- Adding events at or after instant t changes the credit, session start and new-day flag of
--   no event before t − timeout (its next event stays more than a timeout away, its earlier
--   events are the same), so every week before the local week of (t − timeout) keeps its
--   stored values. from_week is that week's Monday; NULL for a student the stored table does
--   not list yet for one of their cohorts.
CREATE OR REPLACE TEMP TABLE _refresh_persons AS
WITH students AS (
    SELECT DISTINCT person_key, student FROM cohort_students
),
new_events AS (
    SELECT p.person_key, min(e.ts) AS first_new
    FROM raw_events AS e
    JOIN persons AS p ON p.ident_id = e.ident_id
    WHERE e.file_id > $last_file_id
    GROUP BY p.person_key
),
known AS (
    SELECT DISTINCT cohort, student FROM weekly_engagement
),
newcomers AS (
    SELECT DISTINCT cs.person_key
    FROM cohort_students AS cs
    WHERE NOT EXISTS (
        SELECT 1 FROM known AS k WHERE k.cohort = cs.cohort_id AND k.student = cs.student)
)
SELECT
    s.person_key,
    s.student,
    CASE WHEN n.person_key IS NULL THEN CAST(date_trunc('week', CAST(
        (ne.first_new - to_seconds($timeout_seconds)) AT TIME ZONE $tz AS DATE)) AS DATE)
    END AS from_week
FROM students AS s
LEFT JOIN new_events AS ne ON ne.person_key = s.person_key
LEFT JOIN newcomers AS n ON n.person_key = s.person_key
WHERE ne.person_key IS NOT NULL OR n.person_key IS NOT NULL;
