-- Participation in collective activities: forum posts per student and week.
-- Grain: forum_daily one row per cohort × student × local date with at least one post;
--   collective_participation_at(p_as_of) one row per cohort × student × calendar week
--   starting on or before p_as_of, zero weeks included.
-- Parameters: $tz (programme timezone: local dates of the posts); p_as_of (macro argument,
--   a local DATE, inclusive: later posts do not count).
-- Participating = posting: component mod_forum ('Forum' in Logs downloads) with event
-- '\mod_forum\event\post_created' or '\mod_forum\event\discussion_created' (labels 'Post
-- created', 'Discussion created', 'Message créé', 'Discussion créée'); reading is not.
-- collective_week: at least one student of the cohort posted that week (teachers' posts do
-- not make a week collective); silent: a collective week without a post of the student.
CREATE OR REPLACE TABLE forum_daily AS
SELECT
    cs.cohort_id,
    cs.person_key,
    CAST(e.ts AT TIME ZONE $tz AS DATE) AS local_date,
    count(*) AS posts
FROM raw_events AS e
JOIN persons AS p ON p.ident_id = e.ident_id
JOIN cohort_students AS cs ON cs.person_key = p.person_key
WHERE e.component IN ('mod_forum', 'Forum')
  AND e.event_name IN ('\mod_forum\event\post_created', '\mod_forum\event\discussion_created',
                       'Post created', 'Discussion created', 'Message créé',
                       'Discussion créée')
GROUP BY cs.cohort_id, cs.person_key, CAST(e.ts AT TIME ZONE $tz AS DATE);

CREATE OR REPLACE MACRO collective_participation_at(p_as_of) AS TABLE
WITH weeks AS (
    SELECT cohort_id, week_start, holiday
    FROM cfg_calendar_weeks
    WHERE week_start <= p_as_of
),
per_week AS (
    SELECT
        cohort_id,
        person_key,
        CAST(date_trunc('week', local_date) AS DATE) AS week_start,
        sum(posts) AS posts
    FROM forum_daily
    WHERE local_date <= p_as_of
    GROUP BY cohort_id, person_key, CAST(date_trunc('week', local_date) AS DATE)
),
collective AS (
    SELECT DISTINCT cohort_id, week_start FROM per_week WHERE posts > 0
)
SELECT
    w.cohort_id AS cohort,
    cs.student,
    w.week_start,
    coalesce(pw.posts, 0) AS forum_events,
    c.week_start IS NOT NULL AS collective_week,
    c.week_start IS NOT NULL AND coalesce(pw.posts, 0) = 0 AS silent,
    w.holiday
FROM weeks AS w
JOIN cohort_students AS cs ON cs.cohort_id = w.cohort_id
LEFT JOIN per_week AS pw
    ON pw.cohort_id = w.cohort_id AND pw.person_key = cs.person_key
    AND pw.week_start = w.week_start
LEFT JOIN collective AS c ON c.cohort_id = w.cohort_id AND c.week_start = w.week_start;
