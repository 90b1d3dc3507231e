-- The first checks over the stage of a logstore dump: the rules, and which events it holds.
-- Grain: _ls_window one row: the plausible time window, and the hashes of the events whose
--   name is empty (blank: set by logstore_checks.sql once the names are known); macros
--   ls_problem (reason
--   a record is quarantined, NULL when valid) and ls_event_key; _ls_types one row per distinct
--   event (name, component, origin) hash of the records with a user and a plausible time,
--   with the smallest record id carrying it (logstore_names.py reads that record's strings).
-- Parameters: $stage (the Parquet stage written by logstore_stage.sql), $earliest and $latest
--   (Unix seconds: the window of plausible times, config [ingest]; kept in _ls_window for the
--   macro).
-- Bad records: no user (userid empty, 0 or negative: guests, failed logins, system), no
--   time, time out of range or outside the plausible window, no event name (empty or blank:
--   a property of the event's hash, known once logstore_names.py has read the names). The
--   reasons are tested in this order. event_key packs the record's id, user and time into
--   128 bits (id << 64 | user << 34 | time); the key is unique per record of one platform,
--   stable across re-exports and DuckDB versions; a record without id falls back to md5 of
--   its user, time, event name and context.
CREATE OR REPLACE TEMP TABLE _ls_window AS
SELECT CAST($earliest AS BIGINT) AS earliest, CAST($latest AS BIGINT) AS latest,
       CAST([] AS UBIGINT[]) AS blank;

CREATE OR REPLACE TEMP MACRO ls_problem(userid, timecreated, event_hash) AS
    CASE
        WHEN userid IS NULL THEN 'no user: empty userid'
        WHEN userid <= 0 THEN 'no user: userid ' || userid
            || ' (not logged in, guest or system)'
        WHEN timecreated IS NULL THEN 'empty timecreated'
        WHEN timecreated < 0 OR timecreated > 17179869183 THEN 'timecreated '
            || timecreated || ' is out of range'
        WHEN timecreated < (SELECT earliest FROM _ls_window) THEN 'timecreated '
            || timecreated || ' (' || strftime(to_timestamp(timecreated), '%Y-%m-%d %H:%M')
            || ' UTC) is before the earliest plausible date (a clock set wrong? see [ingest] '
            || 'earliest)'
        WHEN timecreated > (SELECT latest FROM _ls_window) THEN 'timecreated '
            || timecreated || ' (' || strftime(to_timestamp(timecreated), '%Y-%m-%d %H:%M')
            || ' UTC) is after now plus [ingest] latest_days_ahead (a clock set in the future?)'
        WHEN list_contains((SELECT blank FROM _ls_window), event_hash) THEN 'empty eventname'
    END;

CREATE OR REPLACE TEMP MACRO ls_event_key(id, userid, timecreated, keyless_name, contextid) AS
    CASE
        WHEN id >= 0 THEN (CAST(id AS UHUGEINT) << 64)
            + (CAST(userid % 1073741824 AS UHUGEINT) << 34)
            + CAST(timecreated AS UHUGEINT)
        ELSE md5_number(concat_ws(chr(31), userid, timecreated, keyless_name, contextid))
    END;

CREATE OR REPLACE TEMP TABLE _ls_types AS
SELECT event_hash, min(id) FILTER (WHERE id >= 0) AS id
FROM read_parquet($stage)
WHERE ls_problem(userid, timecreated, event_hash) IS NULL
GROUP BY event_hash;
