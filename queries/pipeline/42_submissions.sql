-- Deadlines and submissions: who handed in what, when, on time or not.
-- Grain: assignment_submissions one row per submission of a cohort student to one of the
--   cohort's deadlines (from the submissions files and from Moodle submission events);
--   submission_status_at(p_as_of) one row per cohort × student × deadline of the cohort;
--   submission_summary_at(p_as_of) one row per cohort × student, zero counts included.
-- Parameters: none for the table; p_as_of (macro argument, a local DATE): the judging day,
--   whole (cut-off = the next local midnight, in cfg_programme's timezone).
-- Matching: a file row matches the deadline of the student's cohort whose folded assignment
-- name (case, accents, spaces) equals its own, or whose cmid is written in its assignment
-- column. A Moodle event matches the deadline with the same course module id (cmid) when its
-- name is '\mod_assign\event\assessable_submitted' (logstore) or its Logs-report label
-- 'A submission has been submitted.' / 'Un travail a été remis.'; the student is the event's
-- affected user when there is one (a teacher submitting for a student), else its user.
-- Status: the first submission before the cut-off counts; submitted_at <= due is on_time
-- (the exact due minute is on time), later is late with late_hours = hours after due; no
-- submission: missing when due before the cut-off, else pending (late_hours NULL for both).
CREATE OR REPLACE TABLE assignment_submissions AS
SELECT cs.cohort_id, cs.person_key, d.assignment_key, s.submitted_at, 'file' AS source
FROM submissions AS s
JOIN persons AS p ON p.ident_id = s.ident_id
JOIN cohort_students AS cs
    ON cs.person_key = p.person_key AND (s.cohort_id IS NULL OR s.cohort_id = cs.cohort_id)
JOIN deadlines AS d
    ON d.cohort_id = cs.cohort_id
    AND (d.assignment_key = s.assignment_key OR CAST(d.cmid AS VARCHAR) = s.assignment_key)
UNION ALL
SELECT cs.cohort_id, cs.person_key, d.assignment_key, e.ts AS submitted_at, 'moodle' AS source
FROM raw_events AS e
JOIN persons AS p ON p.ident_id = coalesce(e.related_ident_id, e.ident_id)
JOIN cohort_students AS cs ON cs.person_key = p.person_key
JOIN deadlines AS d ON d.cohort_id = cs.cohort_id AND d.cmid = e.cmid
WHERE e.event_name IN ('\mod_assign\event\assessable_submitted',
                       'A submission has been submitted.', 'Un travail a été remis.');

CREATE OR REPLACE MACRO submission_status_at(p_as_of) AS TABLE
WITH cut AS (
    SELECT CAST(p_as_of + INTERVAL 1 DAY AS TIMESTAMP) AT TIME ZONE timezone AS cutoff
    FROM cfg_programme
),
firsts AS (
    SELECT
        a.cohort_id,
        a.person_key,
        a.assignment_key,
        min(a.submitted_at) AS submitted_at,
        arg_min(a.source, a.submitted_at) AS source
    FROM assignment_submissions AS a
    CROSS JOIN cut
    WHERE a.submitted_at < cut.cutoff
    GROUP BY a.cohort_id, a.person_key, a.assignment_key
)
SELECT
    cs.cohort_id AS cohort,
    cs.student,
    d.ue,
    d.assignment,
    d.due,
    f.submitted_at,
    CASE WHEN f.submitted_at IS NULL AND d.due < cut.cutoff THEN 'missing'
         WHEN f.submitted_at IS NULL THEN 'pending'
         WHEN f.submitted_at <= d.due THEN 'on_time'
         ELSE 'late'
    END AS status,
    CASE WHEN f.submitted_at IS NOT NULL
         THEN greatest(epoch(f.submitted_at) - epoch(d.due), 0.0) / 3600.0
    END AS late_hours,
    f.source,
    d.cmid
FROM cohort_students AS cs
JOIN deadlines AS d ON d.cohort_id = cs.cohort_id
CROSS JOIN cut
LEFT JOIN firsts AS f
    ON f.cohort_id = cs.cohort_id AND f.person_key = cs.person_key
    AND f.assignment_key = d.assignment_key;

CREATE OR REPLACE MACRO submission_summary_at(p_as_of) AS TABLE
SELECT
    cs.cohort_id AS cohort,
    cs.student,
    count(s.status) FILTER (WHERE s.status = 'late') AS late,
    count(s.status) FILTER (WHERE s.status = 'missing') AS missing,
    count(s.status) FILTER (WHERE s.status = 'on_time') AS on_time,
    count(s.status) FILTER (WHERE s.status = 'pending') AS pending
FROM cohort_students AS cs
LEFT JOIN submission_status_at(p_as_of) AS s
    ON s.cohort = cs.cohort_id AND s.student = cs.student
GROUP BY cs.cohort_id, cs.student;
