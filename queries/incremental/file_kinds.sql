-- The kinds of the files ingested after the ones the stored weekly table covers.
-- Grain: one row per distinct kind of ingest_files with a larger file_id.
-- Parameters: $last_file_id (the highest file id the stored weekly_engagement covers).
SELECT DISTINCT kind FROM ingest_files WHERE file_id > $last_file_id;
