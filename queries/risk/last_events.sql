-- Each cohort student's latest event up to the end of a report week (local time).
-- Grain: one row per student of the cohort (last_event_local NULL when never active).
-- Parameters: $tz (programme timezone), $cohort (cohort id), $first_day (cohort start,
--   local date), $after_day (the day after the report week's Sunday, local date).
SELECT s.student, max(e.ts AT TIME ZONE $tz) AS last_event_local
FROM cohort_students AS s
LEFT JOIN persons AS p ON p.person_key = s.person_key
LEFT JOIN raw_events AS e
    ON e.ident_id = p.ident_id
    AND e.ts >= CAST($first_day AS TIMESTAMP) AT TIME ZONE $tz
    AND e.ts < CAST($after_day AS TIMESTAMP) AT TIME ZONE $tz
WHERE s.cohort_id = $cohort
GROUP BY s.student
ORDER BY s.student;
