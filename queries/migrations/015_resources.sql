-- Schema version 15: the documents a programme provides (m2if ingest resources), so that
-- document coverage counts those nobody opened (README: "Document coverage").
-- Grain: one row per cohort and course module (cmid; a later file's row wins).
-- Parameters: none.
-- course_id, ue and name are optional: a document's UE is its own ue, else the UE whose
-- [[units]] courses list its course; name is the activity's title (no personal data).
CREATE TABLE resources (
    cohort_id VARCHAR NOT NULL,
    cmid BIGINT NOT NULL,            -- Moodle course module id, as in the logs
    course_id BIGINT,                -- the platform course holding it
    ue VARCHAR,                      -- a configured unit code, or NULL
    name VARCHAR,
    file_id INTEGER NOT NULL,
    line BIGINT NOT NULL
);
