-- Merge one forum dump's staged posts into forum_posts (inside the file's transaction).
-- Grain: _forum_cmp one row per staged post with its status: new (inserted), same (already
--   stored: a duplicate), edited (stored, now updated) or conflict (quarantined by the caller).
-- Parameters: $file_id (ingest_files id of the file being loaded).
-- Input: _forum_staged (line, k, post_id, discussion_id, parent_id, forum_id, created and
--   modified in Unix seconds, wordcount, charcount) built in Python; _idmap (k → ident_id)
--   from identities.sql.
-- The same post = the same post_id, creation second and author. Authors compare as persons
--   (the roster's person when identity_links knows the identity, else the identity itself, as
--   in 10_persons.sql), so a dump by user id and the same dump by full name meet on one row.
--   A stored post_id with another author or creation time is a conflict. A value the new dump
--   lacks (NULL forum, modified or counts) keeps the stored one.
CREATE OR REPLACE TEMP TABLE _forum_cmp AS
WITH author AS (
    SELECT i.ident_id, coalesce(l.person, i.ident) AS person
    FROM identities AS i
    LEFT JOIN identity_links AS l ON l.ident = i.ident
),
staged AS (
    SELECT
        s.line, m.ident_id, s.post_id, s.discussion_id, s.parent_id, s.forum_id,
        to_timestamp(s.created) AS created, to_timestamp(s.modified) AS modified,
        s.wordcount, s.charcount
    FROM _forum_staged AS s
    JOIN _idmap AS m ON m.k = s.k
)
SELECT
    s.*,
    CASE
        WHEN t.post_id IS NULL THEN 'new'
        WHEN t.created <> s.created OR sa.person <> ta.person THEN 'conflict'
        WHEN t.discussion_id = s.discussion_id
             AND t.parent_id IS NOT DISTINCT FROM s.parent_id
             AND (s.forum_id IS NULL OR s.forum_id IS NOT DISTINCT FROM t.forum_id)
             AND (s.modified IS NULL OR s.modified IS NOT DISTINCT FROM t.modified)
             AND (s.wordcount IS NULL OR s.wordcount IS NOT DISTINCT FROM t.wordcount)
             AND (s.charcount IS NULL OR s.charcount IS NOT DISTINCT FROM t.charcount)
            THEN 'same'
        ELSE 'edited'
    END AS status,
    f.file_name AS stored_from
FROM staged AS s
JOIN author AS sa ON sa.ident_id = s.ident_id
LEFT JOIN forum_posts AS t ON t.post_id = s.post_id
LEFT JOIN author AS ta ON ta.ident_id = t.ident_id
LEFT JOIN ingest_files AS f ON f.file_id = t.file_id;

UPDATE forum_posts AS t
SET discussion_id = c.discussion_id,
    parent_id = c.parent_id,
    forum_id = coalesce(c.forum_id, t.forum_id),
    modified = coalesce(c.modified, t.modified),
    wordcount = coalesce(c.wordcount, t.wordcount),
    charcount = coalesce(c.charcount, t.charcount),
    file_id = $file_id,
    line = c.line
FROM _forum_cmp AS c
WHERE c.status = 'edited' AND t.post_id = c.post_id;

INSERT INTO forum_posts
SELECT post_id, discussion_id, parent_id, forum_id, ident_id, created, modified, wordcount,
       charcount, $file_id, line
FROM _forum_cmp
WHERE status = 'new';
