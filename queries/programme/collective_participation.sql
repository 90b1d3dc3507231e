-- Forum participation in collective weeks, for the weeks starting on or before a day.
-- Grain: one row per student × calendar week.
-- Parameters: $c (cohort id), $as_of (the local day judged on, whole).
SELECT student, week_start, forum_events, collective_week, silent, holiday
FROM collective_participation_at($as_of) WHERE cohort = $c
ORDER BY student, week_start;
