-- Forget ingested files: what they loaded into every raw table, their quarantine rows, the
-- identity links their roster or alias file gave, and their ingestion records.
-- Grain: one DELETE per raw table (the caller counts each statement's rows, by table).
-- Parameters: $name (the base name the files were ingested under).
-- Events another file also held were stored once, under the first file: forgetting that file
-- removes them (re-ingest the other file to restore them). A roster row belongs to the
-- roster file that last changed it. Identities (keyed hashes) stay: alone they say nothing.
-- tests/warehouse/test_forget.py checks that every table with a file_id column is listed.
CREATE OR REPLACE TEMP TABLE _forget_files AS
SELECT file_id FROM ingest_files WHERE file_name = $name;

DELETE FROM raw_events WHERE file_id IN (SELECT file_id FROM _forget_files);
DELETE FROM quarantine WHERE file_id IN (SELECT file_id FROM _forget_files);
DELETE FROM roster WHERE file_id IN (SELECT file_id FROM _forget_files);
DELETE FROM name_keys WHERE file_id IN (SELECT file_id FROM _forget_files);
DELETE FROM identity_links WHERE origin = $name;
DELETE FROM grades WHERE file_id IN (SELECT file_id FROM _forget_files);
DELETE FROM deadlines WHERE file_id IN (SELECT file_id FROM _forget_files);
DELETE FROM submissions WHERE file_id IN (SELECT file_id FROM _forget_files);
DELETE FROM internship_days WHERE file_id IN (SELECT file_id FROM _forget_files);
DELETE FROM mission_letters WHERE file_id IN (SELECT file_id FROM _forget_files);
DELETE FROM milestones_done WHERE file_id IN (SELECT file_id FROM _forget_files);
DELETE FROM resources WHERE file_id IN (SELECT file_id FROM _forget_files);
DELETE FROM forum_posts WHERE file_id IN (SELECT file_id FROM _forget_files);
DELETE FROM followups WHERE file_id IN (SELECT file_id FROM _forget_files);
DELETE FROM oulad_courses WHERE file_id IN (SELECT file_id FROM _forget_files);
DELETE FROM oulad_assessments WHERE file_id IN (SELECT file_id FROM _forget_files);
DELETE FROM oulad_vle WHERE file_id IN (SELECT file_id FROM _forget_files);
DELETE FROM oulad_students WHERE file_id IN (SELECT file_id FROM _forget_files);
DELETE FROM oulad_registrations WHERE file_id IN (SELECT file_id FROM _forget_files);
DELETE FROM oulad_student_assessments WHERE file_id IN (SELECT file_id FROM _forget_files);
DELETE FROM oulad_clicks WHERE file_id IN (SELECT file_id FROM _forget_files);
DELETE FROM ingest_files WHERE file_id IN (SELECT file_id FROM _forget_files);
