-- Weekly engagement refreshed: the affected persons' weeks recomputed with the pipeline's own
-- macros (student_weeks, weekly_rows of 30_weekly_engagement.sql), everyone else's kept.
-- Grain: weekly_activity one row per cohort × student × local week with events (the affected
--   persons' rows from their from_week replaced); weekly_engagement (replaced) exactly as
--   30_weekly_engagement.sql builds it.
-- Parameters: $tz, $timeout_seconds, $last_event_seconds (as in 20_event_credits.sql),
--   $read_from (the earliest instant read: the earliest from_week's local midnight minus the
--   timeout and a day; NULL when some person needs every week) and $from_week (the earliest
--   from_week; NULL likewise).
-- Input: _refresh_persons (weekly_affected.sql). The macros recompute every student from
-- $from_week; only the affected persons' rows from their own from_week are written, the same
-- values a full build gives (the rule is deterministic), so the refresh equals a full build.
DELETE FROM weekly_activity AS a
USING _refresh_persons AS r
WHERE a.student = r.student AND (r.from_week IS NULL OR a.week_start >= r.from_week);

INSERT INTO weekly_activity
SELECT w.cohort, w.student, w.week_start, w.hours, w.sessions, w.active_days, w.events
FROM student_weeks($tz, $timeout_seconds, $last_event_seconds, $read_from, $from_week) AS w
JOIN _refresh_persons AS r ON r.student = w.student
WHERE r.from_week IS NULL OR w.week_start >= r.from_week;

CREATE OR REPLACE TABLE weekly_engagement AS
SELECT cohort, student, week_start, iso_week, hours, sessions, active_days, events,
       target_hours, below_target, holiday, in_progress, group_name
FROM weekly_rows($tz)
ORDER BY cohort, student, week_start;
