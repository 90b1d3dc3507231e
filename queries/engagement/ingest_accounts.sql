-- Every ingested file's account: rows read = loaded + duplicates + quarantined.
-- Grain: one row per ingestion, in ingestion order.
-- Parameters: none.
SELECT file_name, kind, format, rows_read AS read, rows_loaded AS loaded,
       rows_duplicate AS duplicates, rows_quarantined AS quarantined
FROM ingest_files ORDER BY file_id;
