-- Link each stored forum post to the Moodle log event that recorded its creation.
-- Grain: one row per forum_posts row: post_id, discussion_id, first_post, person, created and
--   event_ts (the matching log event's instant; NULL when the logs hold none).
-- Parameters: none.
-- A first post matches a discussion_created event, a reply a post_created event (logstore
--   names or the Logs report's English and French labels), of the same person (the roster's
--   person, else the identity's own pseudonym: the rule of 10_persons.sql), at the post's
--   second or in the 59 seconds before it (French Logs downloads drop the seconds); the
--   latest such event wins. raw_events keeps no objectid, so this matches author and time,
--   not post ids (see docs/forum.md, "Log events").
WITH person AS (
    SELECT i.ident_id, coalesce(l.person, 'p' || left(i.ident, 12)) AS person
    FROM identities AS i
    LEFT JOIN identity_links AS l ON l.ident = i.ident
),
posts AS (
    SELECT f.post_id, f.discussion_id, f.parent_id IS NULL AS first_post, p.person, f.created
    FROM forum_posts AS f
    JOIN person AS p ON p.ident_id = f.ident_id
),
events AS (
    SELECT
        p.person,
        e.ts,
        e.event_name IN ('\mod_forum\event\discussion_created', 'Discussion created',
                         'Discussion créée') AS first_post
    FROM raw_events AS e
    JOIN person AS p ON p.ident_id = e.ident_id
    WHERE e.event_name IN ('\mod_forum\event\post_created', '\mod_forum\event\discussion_created',
                           'Post created', 'Discussion created', 'Message créé',
                           'Discussion créée')
)
SELECT
    posts.post_id,
    posts.discussion_id,
    posts.first_post,
    posts.person,
    posts.created,
    max(events.ts) AS event_ts
FROM posts
LEFT JOIN events
    ON events.person = posts.person
   AND events.first_post = posts.first_post
   AND events.ts BETWEEN posts.created - INTERVAL 59 SECOND AND posts.created
GROUP BY ALL
ORDER BY posts.created, posts.post_id;
