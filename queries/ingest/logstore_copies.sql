-- Copies inside a logstore dump whose keys do not ascend (records out of id order).
-- Grain: _ls_skip one row per position of a record that repeats the event_key of an earlier
--   record of the same file with the same event (name, component, origin: event_hash) and
--   context (the first one in file order is kept).
-- Parameters: $stage (the Parquet stage). Uses the macros of logstore_types.sql.
-- A hash aggregate over every key: slower than the adjacent check, run only when needed.
CREATE OR REPLACE TEMP TABLE _ls_skip AS
WITH keyed AS (
    SELECT
        file_row_number AS n,
        ls_event_key(id, userid, timecreated, keyless_name, contextid) AS event_key,
        event_hash,
        contextid
    FROM read_parquet($stage, file_row_number = true)
    WHERE ls_problem(userid, timecreated, event_hash) IS NULL
),
repeated AS (
    SELECT event_key FROM keyed GROUP BY event_key HAVING count(*) > 1
),
ranked AS (
    SELECT k.n, row_number() OVER (PARTITION BY k.event_key, k.event_hash, k.contextid
                                   ORDER BY k.n) AS copy
    FROM keyed AS k
    SEMI JOIN repeated AS r ON r.event_key = k.event_key
)
SELECT n FROM ranked WHERE copy > 1;
