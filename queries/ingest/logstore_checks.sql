-- Checks over the stage of a logstore dump: which records are bad, who appears, copies.
-- Grain: _ls_window.blank gets the hashes of events without a name; _ls_bad one row per invalid
--   record (n = its position in the file's records, id, reason); _ls_users one row per
--   distinct user id of the valid records (acting or affected); _ls_order one row: valid
--   records, how many break key order, the positions of copies that follow their original
--   directly, and the valid records' time span; _ls_skip one row per position of a copy to
--   leave out (adjacent copies).
-- Parameters: $stage (the Parquet stage written by logstore_stage.sql).
-- Input: the macros and tables of logstore_types.sql, _ls_names (logstore_names.py).
-- A copy has the key of an earlier record and the same event (name, component, origin: the
--   same event_hash) and context (a record with the key of another but not its name is a
--   distinct event, not a copy). A dump lists records in id order, so its keys ascend and
--   exact copies sit next to each other: lag() finds them in one streaming pass. When keys do
--   not ascend (unsorted > 0) the caller runs logstore_copies.sql instead.
UPDATE _ls_window SET blank = (
    SELECT coalesce(list(event_hash), []) FROM _ls_names
    WHERE nullif(trim(eventname), '') IS NULL);

CREATE OR REPLACE TEMP TABLE _ls_bad AS
SELECT file_row_number AS n, id, ls_problem(userid, timecreated, event_hash) AS reason
FROM read_parquet($stage, file_row_number = true)
WHERE ls_problem(userid, timecreated, event_hash) IS NOT NULL;

CREATE OR REPLACE TEMP TABLE _ls_users AS
SELECT userid AS k  -- a valid record's user is > 0
FROM read_parquet($stage)
WHERE ls_problem(userid, timecreated, event_hash) IS NULL
UNION
SELECT relateduserid
FROM read_parquet($stage)
WHERE relateduserid > 0 AND ls_problem(userid, timecreated, event_hash) IS NULL;

CREATE OR REPLACE TEMP TABLE _ls_order AS
WITH keyed AS (
    SELECT
        file_row_number AS n,
        ls_event_key(id, userid, timecreated, keyless_name, contextid) AS event_key,
        event_hash,
        contextid,
        timecreated
    FROM read_parquet($stage, file_row_number = true)
    WHERE ls_problem(userid, timecreated, event_hash) IS NULL
),
adjacent AS (
    SELECT n, event_key, timecreated,
           lag(event_key) OVER () AS previous,
           lag(event_hash) OVER () = event_hash
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
