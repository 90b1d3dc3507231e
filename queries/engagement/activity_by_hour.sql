-- One student's online time and sessions by local weekday and hour of the day.
-- Grain: one row per local ISO weekday (1 = Monday … 7 = Sunday) and hour (0-23) in which
--   the student has at least one event from $first_day to the day before $after_day.
-- Parameters: $tz (programme timezone), $timeout_seconds and $last_event_seconds (the
--   time-on-task rule, as in 20_event_credits.sql), $cohort (cohort id), $student (the
--   student's pseudonym), $first_day and $after_day (local dates; $after_day excluded).
-- Credits follow 20_event_credits.sql over all the student's events (an event's gap to the
-- next one counts even when the next one is after the window): gap <= timeout credits the
-- gap, otherwise last_event_seconds; a session starts at the first event and after every
-- gap > timeout and is counted in the hour of its first event. Summed over the window, hours
-- and sessions equal weekly_engagement's for the same weeks.
WITH mine AS (
    SELECT e.ts, e.local_ts
    FROM stg_events($tz) AS e
    JOIN cohort_students AS s ON s.person_key = e.person_key
    WHERE s.cohort_id = $cohort AND s.student = $student
),
timed AS (
    SELECT
        local_ts,
        epoch(lead(ts) OVER w) - epoch(ts) AS gap_after,
        epoch(ts) - epoch(lag(ts) OVER w) AS gap_before
    FROM mine
    WINDOW w AS (ORDER BY ts)
)
SELECT
    CAST(isodow(local_ts) AS INTEGER) AS weekday,
    CAST(hour(local_ts) AS INTEGER) AS hour,
    count(*) FILTER (WHERE gap_before IS NULL OR gap_before > $timeout_seconds) AS sessions,
    sum(CASE WHEN gap_after <= $timeout_seconds THEN gap_after
             ELSE CAST($last_event_seconds AS DOUBLE) END) / 3600.0 AS hours,
    count(*) AS events
FROM timed
WHERE local_ts >= CAST($first_day AS TIMESTAMP) AND local_ts < CAST($after_day AS TIMESTAMP)
GROUP BY ALL
ORDER BY weekday, hour;
