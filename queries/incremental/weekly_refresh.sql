-- Weekly engagement refreshed: only the affected persons' weeks are recomputed from events.
-- Grain: _refresh_weeks one row per affected person × local week from their from_week with
--   at least one event; weekly_engagement (replaced) one row per cohort × student ×
--   programme week, exactly as 30_weekly_engagement.sql builds it.
-- Parameters: $tz, $timeout_seconds, $last_event_seconds (as in 20_event_credits.sql) and
--   $scan_from (the earliest instant any affected person's recomputation reads: their
--   from_week's local midnight minus the timeout and a day; no older event is scanned).
-- Input: _refresh_persons and _weekly_before (weekly_affected.sql), persons, cohort_students,
--   cfg_calendar_weeks, the stg_events macro.
-- Credits follow 20_event_credits.sql: gap to the next event when <= timeout, otherwise
--   last_event_seconds; a session starts after a gap > timeout; new_day marks a person's
--   first event of a local date. Events of the day and timeout before a person's from_week
--   are read only as the previous event of the first one counted (its gap before and date;
--   a day of margin whatever the DST rules). The final SELECT is the one of
--   30_weekly_engagement.sql, fed with stored weeks plus recomputed ones.
CREATE OR REPLACE TEMP TABLE _refresh_weeks AS
WITH scope AS (
    SELECT
        person_key,
        from_week,
        CAST(from_week AS TIMESTAMP) AT TIME ZONE $tz - to_seconds($timeout_seconds)
            - INTERVAL 1 DAY AS read_from
    FROM _refresh_persons
),
events AS (
    SELECT s.person_key, s.ts, s.local_ts, sc.from_week
    FROM stg_events($tz) AS s
    JOIN scope AS sc ON sc.person_key = s.person_key
    WHERE s.ts >= $scan_from
      AND (sc.read_from IS NULL OR s.ts >= sc.read_from)
),
timed AS (
    SELECT
        person_key,
        from_week IS NULL OR CAST(local_ts AS DATE) >= from_week AS counted,
        CAST(local_ts AS DATE) AS local_date,
        epoch(lead(ts) OVER w) - epoch(ts) AS gap_after,
        epoch(ts) - epoch(lag(ts) OVER w) AS gap_before,
        lag(CAST(local_ts AS DATE)) OVER w AS previous_date
    FROM events
    WINDOW w AS (PARTITION BY person_key ORDER BY ts)
),
credited AS (
    SELECT
        person_key,
        CAST(date_trunc('week', local_date) AS DATE) AS week_start,
        CASE WHEN gap_after <= $timeout_seconds THEN gap_after
             ELSE CAST($last_event_seconds AS DOUBLE) END AS credit_seconds,
        (gap_before IS NULL OR gap_before > $timeout_seconds) AS session_start,
        (previous_date IS NULL OR previous_date <> local_date) AS new_day
    FROM timed
    WHERE counted
)
SELECT
    person_key,
    week_start,
    sum(credit_seconds) / 3600.0 AS hours,
    count(*) FILTER (WHERE session_start) AS sessions,
    count(*) FILTER (WHERE new_day) AS active_days,
    count(*) AS events
FROM credited
GROUP BY person_key, week_start;

CREATE OR REPLACE TABLE weekly_engagement AS
WITH kept AS (
    SELECT b.cohort, b.student, b.week_start, b.hours, b.sessions, b.active_days, b.events
    FROM _weekly_before AS b
    LEFT JOIN _refresh_persons AS r ON r.student = b.student
    WHERE r.student IS NULL OR b.week_start < r.from_week
),
fresh AS (
    SELECT cs.cohort_id AS cohort, cs.student, w.week_start, w.hours, w.sessions,
           w.active_days, w.events
    FROM _refresh_weeks AS w
    JOIN cohort_students AS cs ON cs.person_key = w.person_key
),
per_week AS (
    SELECT * FROM kept
    UNION ALL
    SELECT * FROM fresh
),
data_end AS (
    SELECT max(ts) AT TIME ZONE $tz AS local_end FROM raw_events
),
weeks AS (
    SELECT
        w.cohort_id,
        w.week_start,
        w.iso_week,
        w.holiday,
        w.target_hours,
        d.local_end < CAST(w.week_start AS TIMESTAMP) + INTERVAL 7 DAY AS in_progress
    FROM cfg_calendar_weeks AS w
    CROSS JOIN data_end AS d
    WHERE w.week_start <= CAST(d.local_end AS DATE)
)
SELECT
    w.cohort_id AS cohort,
    s.student,
    w.week_start,
    w.iso_week,
    coalesce(p.hours, 0.0) AS hours,
    coalesce(p.sessions, 0) AS sessions,
    coalesce(p.active_days, 0) AS active_days,
    coalesce(p.events, 0) AS events,
    w.target_hours,
    (NOT w.in_progress AND w.target_hours > 0 AND coalesce(p.hours, 0.0) < w.target_hours)
        AS below_target,
    w.holiday,
    w.in_progress,
    s.group_name
FROM weeks AS w
JOIN cohort_students AS s ON s.cohort_id = w.cohort_id
LEFT JOIN per_week AS p
    ON p.cohort = w.cohort_id AND p.student = s.student AND p.week_start = w.week_start
ORDER BY cohort, s.student, w.week_start;
