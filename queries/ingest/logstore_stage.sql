-- The one read of a logstore_standard_log dump: its records, typed, into a Parquet stage.
-- Grain: one stage row per record the CSV reader accepts, in file order (read_parquet's
--   file_row_number is the record's position); a malformed line (wrong field count, a
--   non-numeric id, userid, time...) goes to _ls_rejects with its line number instead.
-- Parameters: $path (the CSV file), $delim (its delimiter), $columns (every header column in
--   order → its SQL type, VARCHAR for those not checked), $stage (the Parquet file to write,
--   in the warehouse's temp directory). No dialect sniffing: a file of a few broken lines is
--   read as declared and its lines rejected one by one, never refused as a whole.
-- Only the columns the warehouse keeps or checks are staged: IP, "other", realuserid and the
--   rest of the record are never stored. cmid is the context instance of module contexts
--   (level 70). The event's three strings (name, component, origin) are staged as one 64-bit
--   hash (event_hash): writing strings was a third of the stage's cost, and a dump has a few
--   hundred distinct triples at most; logstore_names.py finds each triple's strings once
--   (_ls_names); whether a name is blank is known from it too. The name itself is staged only
--   for a record without id (its key is md5 of its fields).
COPY (
    SELECT
        id,
        userid,
        relateduserid,
        timecreated,
        hash(eventname, component, origin) AS event_hash,
        CASE WHEN id IS NULL OR id < 0 THEN eventname END AS keyless_name,
        courseid,
        CASE WHEN contextlevel = '70' THEN contextinstanceid END AS cmid,
        contextid
    FROM read_csv($path, header = true, delim = $delim, quote = '"', escape = '"',
                  nullstr = ['\N', 'NULL', ''], columns = $columns, auto_detect = false,
                  store_rejects = true, rejects_table = '_ls_rejects',
                  rejects_scan = '_ls_scans')
) TO $stage (FORMAT parquet, COMPRESSION uncompressed);
