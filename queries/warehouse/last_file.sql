-- The highest ingestion id so far (0 for an empty warehouse).
-- Grain: one row (last_file_id).
-- Parameters: none.
SELECT coalesce(max(file_id), 0) AS last_file_id FROM ingest_files;
