-- High-water marks of the pulls from a platform's database or an LRS (m2if pull): how far
-- each source table has been read, so that the next pull reads only what is new. A mark is
-- written in the same transaction as the rows it covers.
-- Grain: one row per source (a database or LRS without its password) × item (a table).
-- Parameters: none.
CREATE TABLE pull_marks (
    source    VARCHAR NOT NULL,  -- e.g. postgresql://m2if_reader@db/moodle mdl_
    item      VARCHAR NOT NULL,  -- e.g. mdl_logstore_standard_log, statements
    mark      VARCHAR NOT NULL,  -- the last id, time or stored timestamp read
    rows_read BIGINT NOT NULL,   -- rows read from this item over every pull
    pulled_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (source, item)
);
