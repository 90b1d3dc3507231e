-- Forum structure since the high-water mark: who answered whom and when, and the sizes
-- Moodle counted (Moodle >= 3.8); never the subject or the message.
-- Grain: one row per post modified at or after $since.
-- Parameters: $since (last forum_posts.modified read). Tables: {forum_posts},
--   {forum_discussions}; {course_filter} on forum_discussions.course.
SELECT p.id, p.discussion, p.parent, p.userid, p.created, p.modified, p.deleted,
       p.wordcount, p.charcount, d.forum
FROM {forum_posts} AS p
JOIN {forum_discussions} AS d ON d.id = p.discussion
WHERE p.modified >= $since {course_filter}
ORDER BY p.id;
