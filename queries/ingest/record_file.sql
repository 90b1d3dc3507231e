-- The ingestion record of one file: name, fingerprints, kind and format, and its account.
-- Grain: one row of ingest_files per ingestion.
-- Parameters: $id (file id), $name (base name), $fp (size and sha256 of the first MiB),
--   $sha256 (sha256 of the whole file), $kind, $fmt, $at (UTC time), $r, $l, $d, $q (rows
--   read, loaded, duplicate, quarantined).
INSERT INTO ingest_files (file_id, file_name, fingerprint, kind, format, ingested_at,
                          rows_read, rows_loaded, rows_duplicate, rows_quarantined, sha256)
VALUES ($id, $name, $fp, $kind, $fmt, $at, $r, $l, $d, $q, $sha256);
