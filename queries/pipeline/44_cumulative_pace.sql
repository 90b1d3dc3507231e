-- Cumulative online hours against the pace to the programme's total hours (1500 h).
-- Grain: one row per cohort × student × week of weekly_engagement (zero weeks included).
-- Parameters: none (reads weekly_engagement, cfg_calendar_weeks and cfg_programme).
-- pace_hours = total_hours × teaching weeks elapsed (this one included) / teaching weeks of
-- the cohort's calendar: the definition of m2if_analytics.api.cumulative. Platform time is
-- online time only, so cumulative_hours is expected to stay below the pace line.
CREATE OR REPLACE TABLE cumulative_pace AS
WITH teaching AS (
    SELECT
        cohort_id,
        week_start,
        sum(CASE WHEN holiday THEN 0 ELSE 1 END) OVER (
            PARTITION BY cohort_id ORDER BY week_start) AS teaching_weeks_elapsed,
        sum(CASE WHEN holiday THEN 0 ELSE 1 END) OVER (PARTITION BY cohort_id) AS teaching_weeks
    FROM cfg_calendar_weeks
)
SELECT
    w.cohort,
    w.student,
    w.week_start,
    w.hours,
    sum(w.hours) OVER (PARTITION BY w.cohort, w.student ORDER BY w.week_start
                       ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cumulative_hours,
    r.total_hours * t.teaching_weeks_elapsed / CAST(greatest(t.teaching_weeks, 1) AS DOUBLE)
        AS pace_hours,
    t.teaching_weeks_elapsed,
    w.in_progress
FROM weekly_engagement AS w
JOIN teaching AS t ON t.cohort_id = w.cohort AND t.week_start = w.week_start
CROSS JOIN cfg_programme AS r;
