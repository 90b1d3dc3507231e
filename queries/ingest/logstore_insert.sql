-- Store the valid, new records of a logstore dump's stage in raw_events.
-- Grain: one raw_events row per valid staged record that is not in _ls_skip (a later copy
--   of a record of the same file, or an event the warehouse already holds).
-- Parameters: $stage (the Parquet stage), $file_id (ingest_files id of the file).
-- Input: _idmap (userid → ident_id, from identities.sql), _ls_skip (logstore_checks.sql,
--   logstore_copies.sql, logstore_stored.sql), _ls_names (event_hash → the event's name,
--   component and origin, from logstore_names.py), the macros of logstore_types.sql.
-- _ls_names holds every valid record's event_hash, so its join is LEFT only for the planner:
-- an inner join to a table of a few rows made DuckDB expect a few rows, build its next hash
-- table on the 10 M-row side and run out of memory.
INSERT INTO raw_events
SELECT
    ls_event_key(s.id, s.userid, s.timecreated, s.keyless_name, s.contextid),
    $file_id,
    u.ident_id,
    r.ident_id,
    to_timestamp(s.timecreated),
    t.eventname,
    t.component,
    CAST(NULL AS VARCHAR),
    s.courseid,
    s.cmid,
    t.origin
FROM read_parquet($stage, file_row_number = true) AS s
JOIN _idmap AS u ON u.k = s.userid
LEFT JOIN _ls_names AS t ON t.event_hash = s.event_hash
LEFT JOIN _idmap AS r ON r.k = s.relateduserid
WHERE ls_problem(s.userid, s.timecreated, s.event_hash) IS NULL
  AND NOT EXISTS (SELECT 1 FROM _ls_skip AS c WHERE c.n = s.file_row_number);
