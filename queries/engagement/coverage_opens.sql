-- Which document each student of a cohort opened: the raw material of document coverage
-- (README: "Document coverage").
-- Grain: one row per cohort student × document they opened at least once (a document
--   nobody opened is not in the logs: m2if coverage --resources lists what is provided).
-- Parameters: $c (cohort id), $tz (programme timezone), $after_day (local date: events
--   before it; the day after the report week's Sunday).
-- A document is a course module (cmid) whose component is of kind 'document'
-- (component_kinds: [activity_kinds], then the built-in table); course_id is its course.
SELECT
    cs.student,
    e.course_id,
    e.cmid,
    min(e.ts AT TIME ZONE $tz) AS first_opened
FROM raw_events AS e
JOIN persons AS p ON p.ident_id = e.ident_id
JOIN cohort_students AS cs ON cs.person_key = p.person_key AND cs.cohort_id = $c
LEFT JOIN component_kinds AS k ON k.component = lower(trim(e.component))
WHERE e.cmid IS NOT NULL
  AND coalesce(k.kind, 'other') = 'document'
  AND e.ts < CAST($after_day AS TIMESTAMP) AT TIME ZONE $tz
GROUP BY ALL
ORDER BY cs.student, e.course_id, e.cmid;
