-- Daily activity of a cohort's students, the input of the risk model's features.
-- Grain: one row per student and local date with at least one event.
-- Parameters: $tz (programme timezone), $cohort (cohort id), $start (cohort start date);
--   day = whole days since the cohort's start (negative before it), clicks = events.
SELECT
    s.student,
    datediff('day', CAST($start AS DATE), CAST(e.ts AT TIME ZONE $tz AS DATE)) AS day,
    count(*) AS clicks
FROM cohort_students AS s
JOIN persons AS p ON p.person_key = s.person_key
JOIN raw_events AS e ON e.ident_id = p.ident_id
WHERE s.cohort_id = $cohort
GROUP BY ALL
ORDER BY s.student, day;
