-- Each cohort student's latest event of every local week (Monday to Sunday, local time), to
-- find the latest event up to any report week in one read (risk levels over time).
-- Grain: one row per student × local week with events; students never active have none.
-- Parameters: $tz (programme timezone), $cohort (cohort id), $first_day (cohort start,
--   local date).
SELECT s.student, CAST(date_trunc('week', e.ts AT TIME ZONE $tz) AS DATE) AS week_start,
       max(e.ts AT TIME ZONE $tz) AS last_event_local
FROM cohort_students AS s
JOIN persons AS p ON p.person_key = s.person_key
JOIN raw_events AS e
    ON e.ident_id = p.ident_id
    AND e.ts >= CAST($first_day AS TIMESTAMP) AT TIME ZONE $tz
WHERE s.cohort_id = $cohort
GROUP BY ALL;
