-- The rows ingestion set aside, with their file, line and reason (m2if quarantine).
-- Grain: one row per quarantined row, by ingestion then line.
-- Parameters: none.
SELECT file_id, file_name, line, reason FROM quarantine ORDER BY file_id, line;
