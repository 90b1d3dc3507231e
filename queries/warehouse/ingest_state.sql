-- What the raw layer holds, in two numbers: a change means the derived tables may be stale.
-- Grain: one row (files: ingestions recorded, last_file_id: the highest id).
-- Parameters: none.
SELECT count(*) AS files, coalesce(max(file_id), 0) AS last_file_id FROM ingest_files;
