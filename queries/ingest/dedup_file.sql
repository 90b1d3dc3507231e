-- Keep one copy of each event that a file holds more than once.
-- Grain: deletes all but the first-inserted row of each event_key among the file's rows.
-- Parameters: $file_id (the file just loaded, inside its transaction).
DELETE FROM raw_events AS r
USING (
    SELECT event_key, min(rowid) AS keep
    FROM raw_events
    WHERE file_id = $file_id
    GROUP BY event_key
    HAVING count(*) > 1
) AS d
WHERE r.file_id = $file_id AND r.event_key = d.event_key AND r.rowid <> d.keep;
