-- Store the valid, new records of a logstore dump's stage in raw_events.
-- Grain: one raw_events row per valid staged record that is not in _ls_skip (a later copy
--   of a record of the same file, or an event the warehouse already holds).
-- Parameters: $stage (the Parquet stage), $file_id (ingest_files id of the file).
-- Input: _idmap (userid → ident_id, from identities.sql), _ls_skip (logstore_checks.sql,
--   logstore_copies.sql, logstore_stored.sql), the macros of logstore_checks.sql.
INSERT INTO raw_events
SELECT
    ls_event_key(s.id, s.userid, s.timecreated, s.eventname, s.contextid),
    $file_id,
    u.ident_id,
    r.ident_id,
    to_timestamp(s.timecreated),
    s.eventname,
    s.component,
    CAST(NULL AS VARCHAR),
    s.courseid,
    s.cmid,
    s.origin
FROM read_parquet($stage, file_row_number = true) AS s
JOIN _idmap AS u ON u.k = s.userid
LEFT JOIN _idmap AS r ON r.k = s.relateduserid
WHERE ls_problem(s.userid, s.timecreated, s.eventname) IS NULL
  AND NOT EXISTS (SELECT 1 FROM _ls_skip AS c WHERE c.n = s.file_row_number);
