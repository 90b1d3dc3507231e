-- The event strings of a logstore dump, read by DuckDB when logstore_names.py cannot read them
-- from the records' own lines.
-- Grain: _ls_names one row per distinct (eventname, component, origin) of the file whose hash
--   is one of _ls_types (the events of the records with a user and a plausible time).
-- Parameters: $path (the CSV file the stage was read from), $delim, $columns (as for
--   logstore_stage.sql). Lines the stage rejected are skipped (ignore_errors): no valid
--   record is on them.
CREATE OR REPLACE TEMP TABLE _ls_names AS
SELECT DISTINCT
    hash(eventname, component, origin) AS event_hash,
    eventname,
    component,
    origin
FROM read_csv($path, header = true, delim = $delim, quote = '"', escape = '"',
              nullstr = ['\N', 'NULL', ''], columns = $columns, auto_detect = false,
              ignore_errors = true)
WHERE hash(eventname, component, origin) IN (SELECT event_hash FROM _ls_types);
