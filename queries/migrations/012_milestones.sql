-- The mémoire's milestones a programme records by hand (m2if ingest milestones): which
-- student completed which milestone ([[milestones]] id) on which day.
-- Grain: one row per file row (student × milestone; a later file's row wins).
-- Parameters: none.
CREATE TABLE milestones_done (
    ident_id INTEGER NOT NULL,
    cohort_id VARCHAR,
    milestone VARCHAR NOT NULL,
    milestone_key VARCHAR NOT NULL,
    done_on DATE,
    file_id INTEGER NOT NULL,
    line BIGINT NOT NULL
);
