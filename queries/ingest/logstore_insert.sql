-- Second pass over a logstore dump: stream its valid rows into raw_events.
-- Grain: one row per valid record whose event_key is not already in raw_events (copies
--   inside the file are removed afterwards by dedup_file.sql).
-- Parameters: $path, $delim, $types (as in logstore_scan.sql), $file_id (ingest_files id).
-- Input: _idmap (userid → ident_id, from identities.sql). IP, "other", realuserid and the
--   rest of the record are never read into a table.
-- event_key packs the record's id, user and time into 128 bits (id << 64 | user << 34 |
--   time): unique per record of one platform, stable across re-exports and DuckDB versions;
--   a record without id falls back to md5 of its user, time, event and context.
INSERT INTO raw_events
SELECT
    k.event_key,
    $file_id,
    u.ident_id,
    r.ident_id,
    to_timestamp(k.timecreated),
    k.eventname,
    k.component,
    CAST(NULL AS VARCHAR),
    k.courseid,
    CASE WHEN k.contextlevel = '70' THEN k.contextinstanceid END,
    k.origin
FROM (
    SELECT
        *,
        CASE
            WHEN id >= 0 THEN (CAST(id AS UHUGEINT) << 64)
                + (CAST(userid % 1073741824 AS UHUGEINT) << 34)
                + CAST(timecreated AS UHUGEINT)
            ELSE md5_number(concat_ws(chr(31), userid, timecreated, eventname, contextid))
        END AS event_key
    FROM read_csv($path, header = true, delim = $delim, quote = '"', escape = '"',
                  nullstr = ['\N', 'NULL', ''], types = $types, normalize_names = true,
                  ignore_errors = true)
    WHERE userid > 0 AND timecreated BETWEEN 0 AND 17179869183
      AND nullif(trim(eventname), '') IS NOT NULL
) AS k
JOIN _idmap AS u ON u.k = k.userid
LEFT JOIN _idmap AS r ON r.k = k.relateduserid
WHERE NOT EXISTS (SELECT 1 FROM raw_events AS x WHERE x.event_key = k.event_key);
