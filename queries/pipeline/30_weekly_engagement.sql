-- Weekly engagement against the target, zero weeks included (the export contract).
-- Grain: weekly_activity one row per cohort × student × local week with at least one event;
--   weekly_engagement one row per cohort × student × programme week, from the cohort's first
--   week to the last week with data (the local week of the latest event in the warehouse),
--   within the cohort's calendar.
-- Parameters: $tz (programme timezone), $timeout_seconds, $last_event_seconds (see 20).
-- student_weeks() sums event_credits() per week; weekly_rows() turns the stored
-- weekly_activity into the contract table. The incremental refresh (queries/incremental/)
-- re-runs both macros for the persons with new events: the rule exists once.
-- A week is in progress while the latest event is before its Sunday's end: it is kept and
-- marked, never below target. Holiday weeks have target 0 and are never below target.
CREATE OR REPLACE MACRO student_weeks(p_tz, p_timeout, p_last, p_read_from, p_from_week)
AS TABLE
WITH per_week AS (
    SELECT
        person_key,
        week_start,
        sum(credit_seconds) / 3600.0 AS hours,
        count(*) FILTER (WHERE session_start) AS sessions,
        count(*) FILTER (WHERE new_day) AS active_days,
        count(*) AS events
    FROM event_credits(p_tz, p_timeout, p_last, p_read_from, p_from_week)
    GROUP BY person_key, week_start
)
SELECT s.cohort_id AS cohort, s.student, p.week_start, p.hours, p.sessions, p.active_days,
       p.events
FROM per_week AS p
JOIN cohort_students AS s ON s.person_key = p.person_key;

CREATE OR REPLACE MACRO weekly_rows(p_tz) AS TABLE
WITH data_end AS (
    SELECT max(ts) AT TIME ZONE p_tz AS local_end FROM raw_events
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
LEFT JOIN weekly_activity AS p
    ON p.cohort = w.cohort_id AND p.student = s.student AND p.week_start = w.week_start;

CREATE OR REPLACE TABLE weekly_activity AS
SELECT cohort, student, week_start, hours, sessions, active_days, events
FROM student_weeks($tz, $timeout_seconds, $last_event_seconds, NULL, NULL);

CREATE OR REPLACE TABLE weekly_engagement AS
SELECT cohort, student, week_start, iso_week, hours, sessions, active_days, events,
       target_hours, below_target, holiday, in_progress, group_name
FROM weekly_rows($tz)
ORDER BY cohort, student, week_start;
