-- What the raw layer holds, in two numbers: a change means the derived tables may be stale.
-- Grain: one row (files: ingestions recorded, last_file_id: the highest id).
-- Parameters: none.
-- Follow-up logs (kind 'followup') are left out: no derived table reads them (the reports
--   read the follow-up tables directly), so importing contacts never rebuilds the pipeline.
SELECT count(*) AS files, coalesce(max(file_id), 0) AS last_file_id
FROM ingest_files
WHERE kind <> 'followup';
