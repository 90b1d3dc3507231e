-- The ingestions recorded under one base name, and the names of all (for the error message).
-- Grain: one row (matching: ingestions named $name; names: up to 12 distinct file names).
-- Parameters: $name (a file's base name).
SELECT count(*) FILTER (WHERE file_name = $name) AS matching,
       list(DISTINCT file_name ORDER BY file_name)[:12] AS names
FROM ingest_files;
