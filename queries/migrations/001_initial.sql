-- Schema version 1: the raw layer of the warehouse and its bookkeeping.
-- Grain: raw_events one row per distinct platform event (event_key unique: ingestion
--   anti-joins and removes in-file copies); quarantine one row per rejected input row;
--   ingest_files one row per ingestion of a file; identities one row per hashed identity
--   (with a compact surrogate id); identity_links one row per identity a roster attributes;
--   roster one row per person and cohort.
-- Parameters: none.
-- Privacy: only keyed hashes (ident, person) are stored; no names, e-mails, IPs or free text.
CREATE TABLE meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

CREATE SEQUENCE file_id_seq START 1;

CREATE SEQUENCE ident_id_seq START 1;

CREATE TABLE identities (
    ident_id INTEGER PRIMARY KEY,    -- compact surrogate used by raw_events
    ident VARCHAR NOT NULL UNIQUE    -- keyed hash of a normalised identity (id:, name:, mail:)
);

CREATE TABLE ingest_files (
    file_id INTEGER PRIMARY KEY,
    file_name VARCHAR NOT NULL,      -- base name only
    fingerprint VARCHAR NOT NULL,    -- size and sha256 of the first MiB
    kind VARCHAR NOT NULL,           -- moodle | roster | ...
    format VARCHAR NOT NULL,         -- download | logstore | roster
    ingested_at TIMESTAMPTZ NOT NULL,
    rows_read BIGINT NOT NULL,
    rows_loaded BIGINT NOT NULL,
    rows_duplicate BIGINT NOT NULL,
    rows_quarantined BIGINT NOT NULL
);

CREATE TABLE raw_events (
    event_key UHUGEINT NOT NULL,     -- dedup key from the event's defining fields
    file_id INTEGER NOT NULL,        -- ingest_files.file_id (its format says the source)
    ident_id INTEGER NOT NULL,       -- identities.ident_id of the acting user
    related_ident_id INTEGER,        -- identities.ident_id of the affected user, if any
    ts TIMESTAMPTZ NOT NULL,         -- UTC instant
    event_name VARCHAR,
    component VARCHAR,
    context VARCHAR,                 -- activity label; user contexts reduced to their type
    course_id BIGINT,
    cmid BIGINT,                     -- course module id, when known
    origin VARCHAR
);

CREATE TABLE quarantine (
    file_id INTEGER NOT NULL,
    file_name VARCHAR NOT NULL,
    line BIGINT,                     -- physical line in the file (1 = header)
    reason VARCHAR NOT NULL
);

CREATE TABLE identity_links (
    ident VARCHAR PRIMARY KEY,       -- hashed identity seen in some source
    person VARCHAR NOT NULL,         -- pseudonym of the person it belongs to
    origin VARCHAR NOT NULL          -- which roster file taught us the link
);

CREATE TABLE roster (
    person VARCHAR NOT NULL,
    cohort_id VARCHAR NOT NULL,
    role VARCHAR NOT NULL,           -- student | teacher | ...
    group_name VARCHAR,
    file_id INTEGER NOT NULL,
    PRIMARY KEY (person, cohort_id)
);
