-- The weekly table's hours of one cohort split by platform course and activity kind
-- (README: "Where the hours go").
-- Grain: one row per student × programme week of weekly_engagement × course × listed UE ×
--   activity kind with events (weeks without events have no part).
-- Parameters: $tz (programme timezone), $timeout_seconds, $last_event_seconds (as the
--   pipeline), $c (cohort id).
-- Each event's time-on-task credit goes to its own course and kind: the rows come from the
-- same event_credits() as the weekly table, so the parts of a week add up to its hours.
-- activity: the kind component_kinds gives the lower-case component ([activity_kinds] of
-- the configuration, else the built-in table; migration 017), else 'other'. The course's UE
-- is named by m2if_analytics.engagement.split.with_ue (course_ues.sql).
-- course_id: the event's own; an event without one (a Logs download names no course for a
-- course module) takes the course the cohort's resources list gives its module (cmid).
-- listed_ue: the UE the programme's own tables give the module — the resources list's ue,
-- else the ue of a deadline naming the module (the first code when several do) — which wins
-- over the course's (NULL: none).
WITH credits AS (
    SELECT person_key, week_start, course_id, cmid, lower(trim(component)) AS component,
           credit_seconds
    FROM event_credits($tz, $timeout_seconds, $last_event_seconds, NULL, NULL)
),
listed AS (
    SELECT cmid, min(course_id) AS course_id,
           arg_min(ue, source || ue) FILTER (WHERE ue IS NOT NULL) AS ue
    FROM (
        SELECT cmid, course_id, ue, '0' AS source FROM resources WHERE cohort_id = $c
        UNION ALL
        SELECT cmid, NULL, ue, '1' FROM deadlines WHERE cohort_id = $c AND cmid IS NOT NULL
    )
    GROUP BY cmid
)
SELECT
    s.student,
    c.week_start,
    w.iso_week,
    coalesce(c.course_id, r.course_id) AS course_id,
    r.ue AS listed_ue,
    coalesce(k.kind, 'other') AS activity,
    sum(c.credit_seconds) / 3600.0 AS hours,
    count(*) AS events
FROM credits AS c
JOIN cohort_students AS s ON s.person_key = c.person_key AND s.cohort_id = $c
JOIN weekly_engagement AS w
    ON w.cohort = $c AND w.student = s.student AND w.week_start = c.week_start
LEFT JOIN listed AS r ON r.cmid = c.cmid
LEFT JOIN component_kinds AS k ON k.component = c.component
GROUP BY ALL
ORDER BY s.student, c.week_start, 4 NULLS LAST, listed_ue NULLS LAST, activity;
