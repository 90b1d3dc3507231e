-- The files the warehouse was built from, for a research export's provenance.
-- Grain: one row per ingestion, in ingestion order.
-- Parameters: none.
SELECT file_name AS name, kind, format, rows_read AS read, rows_loaded AS loaded,
       rows_duplicate AS duplicates, rows_quarantined AS quarantined, sha256,
       strftime(ingested_at, '%Y-%m-%dT%H:%M:%SZ') AS ingested_at
FROM ingest_files ORDER BY file_id;
