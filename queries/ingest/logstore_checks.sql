-- Checks over the stage of a logstore dump: which records are bad, who appears, copies.
-- Grain: macros ls_problem (reason a record is quarantined, NULL when valid) and ls_event_key;
--   _ls_bad one row per invalid record (n = its position in the file's records, id, reason);
--   _ls_users one row per distinct user id of the valid records (acting or affected);
--   _ls_order one row: valid records, how many break key order, the positions of copies
--   that follow their original directly, and the valid records' time span;
--   _ls_skip one row per position of a copy to leave out (adjacent copies).
-- Parameters: $stage (the Parquet stage written by logstore_stage.sql), $earliest and $latest
--   (Unix seconds: the window of plausible times, config [ingest]; kept in _ls_window for the
--   macro).
-- Bad records: no user (userid empty, 0 or negative: guests, failed logins, system), no
--   time, time out of range or outside the plausible window, no event name. event_key packs the record's id, user and time
--   into 128 bits (id << 64 | user << 34 | time); a copy also has the same event name and
--   context (a record with the key of another but not its name is a distinct event, not a
--   copy). The key is unique per record of one platform, stable
--   across re-exports and DuckDB versions; a record without id falls back to md5 of its
--   user, time, event and context. A dump lists records in id order, so its keys ascend and
--   exact copies sit next to each other: lag() finds them in one streaming pass. When keys do
--   not ascend (unsorted > 0) the caller runs logstore_copies.sql instead.
CREATE OR REPLACE TEMP TABLE _ls_window AS
SELECT CAST($earliest AS BIGINT) AS earliest, CAST($latest AS BIGINT) AS latest;

CREATE OR REPLACE TEMP MACRO ls_problem(userid, timecreated, eventname) AS
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
        WHEN nullif(trim(eventname), '') IS NULL THEN 'empty eventname'
    END;

CREATE OR REPLACE TEMP MACRO ls_event_key(id, userid, timecreated, eventname, contextid) AS
    CASE
        WHEN id >= 0 THEN (CAST(id AS UHUGEINT) << 64)
            + (CAST(userid % 1073741824 AS UHUGEINT) << 34)
            + CAST(timecreated AS UHUGEINT)
        ELSE md5_number(concat_ws(chr(31), userid, timecreated, eventname, contextid))
    END;

CREATE OR REPLACE TEMP TABLE _ls_bad AS
SELECT file_row_number AS n, id, ls_problem(userid, timecreated, eventname) AS reason
FROM read_parquet($stage, file_row_number = true)
WHERE ls_problem(userid, timecreated, eventname) IS NOT NULL;

CREATE OR REPLACE TEMP TABLE _ls_users AS
SELECT DISTINCT u AS k
FROM (
    SELECT unnest([userid, relateduserid]) AS u
    FROM read_parquet($stage)
    WHERE ls_problem(userid, timecreated, eventname) IS NULL
)
WHERE u > 0;

CREATE OR REPLACE TEMP TABLE _ls_order AS
WITH keyed AS (
    SELECT
        file_row_number AS n,
        ls_event_key(id, userid, timecreated, eventname, contextid) AS event_key,
        eventname,
        contextid,
        timecreated
    FROM read_parquet($stage, file_row_number = true)
    WHERE ls_problem(userid, timecreated, eventname) IS NULL
),
adjacent AS (
    SELECT n, event_key, timecreated,
           lag(event_key) OVER () AS previous,
           lag(eventname) OVER () = eventname
               AND lag(contextid) OVER () IS NOT DISTINCT FROM contextid AS same_event
    FROM keyed
)
SELECT
    count(*) AS valid,
    count(*) FILTER (WHERE event_key < previous) AS unsorted,
    coalesce(list(n) FILTER (WHERE event_key = previous AND same_event), []) AS copies,
    min(timecreated) AS first_time,
    max(timecreated) AS last_time
FROM adjacent;

CREATE OR REPLACE TEMP TABLE _ls_skip AS
SELECT unnest(copies) AS n FROM _ls_order;
