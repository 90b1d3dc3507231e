-- Records of a logstore dump's stage that the warehouse already holds (re-export, overlap).
-- Grain: adds to _ls_skip one row per position of a valid staged record whose event_key and
--   event (name, component, origin, compared by their hash) are already in raw_events (the
--   warehouse keeps no context id for dumps).
-- Parameters: $stage (the Parquet stage), $first_time and $last_time (Unix seconds: the span
--   of the stored events that fall in the stage's time span; the same event has the same
--   time, so no other stored or staged row can match and neither is read).
-- Run only when raw_events holds events in the stage's time span. Uses the macros of
--   logstore_types.sql.
INSERT INTO _ls_skip
SELECT s.file_row_number AS n
FROM read_parquet($stage, file_row_number = true) AS s
SEMI JOIN (
    SELECT event_key, hash(event_name, component, origin) AS event_hash FROM raw_events
    WHERE ts BETWEEN to_timestamp($first_time) AND to_timestamp($last_time)
) AS x
    ON x.event_key = ls_event_key(s.id, s.userid, s.timecreated, s.keyless_name, s.contextid)
   AND x.event_hash = s.event_hash
WHERE s.timecreated BETWEEN $first_time AND $last_time
  AND ls_problem(s.userid, s.timecreated, s.event_hash) IS NULL;
