-- One file's quarantined rows, except those an earlier ingestion of the very same bytes
-- (same sha256) already set aside: re-ingesting a file does not list its bad rows twice.
-- Grain: quarantine one row per bad line (and reason) of the file.
-- Parameters: $id (the file id), $name (its base name), $sha256 (of the whole file). Reads the
--   registered frame _quarantine_df (line, reason).
INSERT INTO quarantine
SELECT $id, $name, q.line, q.reason
FROM _quarantine_df AS q
WHERE NOT EXISTS (
    SELECT 1 FROM quarantine AS o JOIN ingest_files AS f USING (file_id)
    WHERE f.sha256 = $sha256 AND o.line IS NOT DISTINCT FROM q.line AND o.reason = q.reason);
