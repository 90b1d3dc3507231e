-- Every ingested file's full sha256, so that a research export can cite its inputs.
-- Grain: ingest_files gains sha256 (NULL for files ingested before this migration).
-- Parameters: none.
ALTER TABLE ingest_files ADD COLUMN sha256 VARCHAR;
