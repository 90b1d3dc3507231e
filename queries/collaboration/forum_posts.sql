-- Forum posts of one cohort's people: structure, sizes, author pseudonym, role and group.
-- Grain: one row per forum post (forum_posts.post_id) written by a person of the cohort
--   (as queries/collaboration/members.sql selects them) at a local time within the window.
-- Parameters: $cohort (cohort id); $group (roster group or NULL); $include_teachers
--   (boolean); $tz (programme timezone); $first_day (local date, inclusive) and $after_day
--   (local date, exclusive): the window the posts were written in.
-- week_start is the local Monday of the post (programme timezone). parent_* describe the
-- post replied to, looked up among every post of the same people whatever its date (a reply
-- in the window to an older post is still a tie); they are NULL for a discussion's first
-- post and when the post replied to is missing or by someone left out (another cohort, group,
-- or a teacher when teachers are excluded). A parent id 0 (Moodle's "no parent") is NULL.
WITH people AS (
    SELECT person, role, group_name FROM cohort_people($cohort, $group, $include_teachers)
),
posts AS (
    SELECT
        f.post_id,
        f.discussion_id,
        nullif(f.parent_id, 0) AS parent_id,
        m.person AS author,
        m.role,
        m.group_name,
        f.created,
        f.wordcount,
        f.charcount
    FROM forum_posts AS f
    JOIN persons AS p ON p.ident_id = f.ident_id
    JOIN people AS m ON m.person = p.person
)
SELECT
    c.post_id,
    c.discussion_id,
    c.parent_id,
    c.author,
    c.role,
    c.group_name AS "group",
    c.created,
    CAST(date_trunc('week', c.created AT TIME ZONE $tz) AS DATE) AS week_start,
    c.wordcount,
    c.charcount,
    par.author AS parent_author,
    par.role AS parent_role,
    par.group_name AS parent_group,
    par.created AS parent_created
FROM posts AS c
LEFT JOIN posts AS par ON par.post_id = c.parent_id
WHERE c.created >= CAST($first_day AS TIMESTAMP) AT TIME ZONE $tz
  AND c.created < CAST($after_day AS TIMESTAMP) AT TIME ZONE $tz
ORDER BY c.created, c.post_id;
