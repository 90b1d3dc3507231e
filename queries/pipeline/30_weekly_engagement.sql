-- Weekly engagement against the target, zero weeks included (the export contract).
-- Grain: one row per cohort × student × programme week, from the cohort's first week to the
--   last week with data (the local week of the latest event in the warehouse), within the
--   cohort's calendar.
-- Parameters: $tz (programme timezone), $timeout_seconds, $last_event_seconds (see 20).
-- A week is in progress while the latest event is before its Sunday's end: it is kept and
-- marked, never below target. Holiday weeks have target 0 and are never below target.
CREATE OR REPLACE TABLE weekly_engagement AS
WITH per_week AS (
    SELECT
        person_key,
        week_start,
        sum(credit_seconds) / 3600.0 AS hours,
        count(*) FILTER (WHERE session_start) AS sessions,
        count(*) FILTER (WHERE new_day) AS active_days,
        count(*) AS events
    FROM event_credits($tz, $timeout_seconds, $last_event_seconds)
    GROUP BY person_key, week_start
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
LEFT JOIN per_week AS p ON p.person_key = s.person_key AND p.week_start = w.week_start
ORDER BY cohort, s.student, w.week_start;
