-- Time-on-task credit of every event of a cohort student (README: "The weekly engagement table").
-- Grain: one row per event of a person listed in cohort_students, from p_from_week on (a
--   table macro; the pipeline reads every event, the incremental refresh only recent ones).
-- Parameters (macro arguments; the pipeline passes $tz, $timeout_seconds and
--   $last_event_seconds, then NULL, NULL): p_tz programme timezone, p_timeout inactivity
--   timeout in seconds, p_last credit of a session's last event and of the person's very last
--   event, p_read_from the earliest instant read (NULL: all), p_from_week the first local
--   week returned (NULL: all; events between p_read_from and it are read only as the
--   previous event of the first one returned).
-- gap = next event's time − this event's time; gap <= timeout credits the gap, otherwise
-- the session ends here and the event gets last_event_seconds. A session starts at the
-- person's first event and after every gap > timeout. Equal timestamps give a 0 s gap, so
-- the order among them changes nothing. Week and day are those of the event's own local
-- time; new_day marks the first event of each local date (local dates only move forward
-- with time, so summing new_day per week counts distinct active days without a DISTINCT).
-- Each row keeps its event's course, component and course module, so that a week's hours
-- split by UE or activity kind (queries/engagement/weekly_split.sql) add up to the week.
-- Reading from p_read_from <= (p_from_week's midnight − timeout − 1 day) changes nothing for
-- the weeks returned: an older previous event is more than a timeout and a date away.
CREATE OR REPLACE MACRO event_credits(p_tz, p_timeout, p_last, p_read_from, p_from_week)
AS TABLE
WITH timed AS (
    SELECT
        person_key,
        CAST(local_ts AS DATE) AS local_date,
        epoch(lead(ts) OVER w) - epoch(ts) AS gap_after,
        epoch(ts) - epoch(lag(ts) OVER w) AS gap_before,
        lag(CAST(local_ts AS DATE)) OVER w AS previous_date,
        course_id,
        component,
        cmid
    FROM stg_events(p_tz)
    WHERE person_key IN (SELECT person_key FROM cohort_students)
      AND (p_read_from IS NULL OR ts >= p_read_from)
    WINDOW w AS (PARTITION BY person_key ORDER BY ts)
)
SELECT
    person_key,
    local_date,
    CAST(date_trunc('week', local_date) AS DATE) AS week_start,
    CASE WHEN gap_after <= p_timeout THEN gap_after
         ELSE CAST(p_last AS DOUBLE) END AS credit_seconds,
    (gap_before IS NULL OR gap_before > p_timeout) AS session_start,
    (previous_date IS NULL OR previous_date <> local_date) AS new_day,
    course_id,
    component,
    cmid
FROM timed
WHERE p_from_week IS NULL OR local_date >= p_from_week;
