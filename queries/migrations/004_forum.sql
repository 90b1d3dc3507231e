-- Schema version 4: forum posts, the structure of Moodle's forum_posts table without its text
--   (loaded by `m2if ingest forum`).
-- Grain: forum_posts one row per post (post_id unique: ingestion skips a post already stored
--   with the same author and creation time, updates it when edited, quarantines a clash).
-- Parameters: none.
-- Privacy: the author is an identities.ident_id surrogate (keyed hash of the user id or full
--   name), resolved to a person by queries/pipeline/10_persons.sql. Subject and message are never
--   stored, not even hashed: only their word and character counts.
-- parent_id NULL = the first post of its discussion; a parent_id may name a post that is not
--   stored (a deleted post, or one outside the dump): the reply then has no known addressee.
-- forum_id is the forum's instance id (forum_discussions.forum), not its course module id.
CREATE TABLE forum_posts (
    post_id BIGINT NOT NULL,         -- forum_posts.id
    discussion_id BIGINT NOT NULL,   -- forum_posts.discussion
    parent_id BIGINT,                -- forum_posts.parent; NULL for a discussion's first post
    forum_id BIGINT,                 -- the discussion's forum, when the dump has the column
    ident_id INTEGER NOT NULL,       -- author: identities.ident_id
    created TIMESTAMPTZ NOT NULL,    -- UTC instant (forum_posts.created, Unix seconds)
    modified TIMESTAMPTZ,            -- last edit (forum_posts.modified)
    wordcount INTEGER,               -- words of the message (Moodle's count_words)
    charcount INTEGER,               -- non-space characters of the message (count_letters)
    file_id INTEGER NOT NULL,        -- ingest_files.file_id of the file the row came from
    line BIGINT NOT NULL             -- physical line where its record starts (1 = header)
);
