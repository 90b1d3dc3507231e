-- Load one file's staged events (downloads) into raw_events, skipping events already there.
-- Grain: one row per staged row whose event_key is not already in raw_events (copies
--   inside the file are removed afterwards by dedup_file.sql).
-- Parameters: $file_id (the ingest_files id of the file being loaded).
-- Input: temp table _staged (event_key, line, k, related_k, ts, event_name, component,
--   context, course_id, cmid, origin) and _idmap (k → ident_id).
INSERT INTO raw_events
SELECT s.event_key, $file_id, u.ident_id, r.ident_id, s.ts, s.event_name, s.component,
       s.context, s.course_id, s.cmid, s.origin
FROM _staged AS s
JOIN _idmap AS u ON u.k = s.k
LEFT JOIN _idmap AS r ON r.k = s.related_k
WHERE NOT EXISTS (SELECT 1 FROM raw_events AS x WHERE x.event_key = s.event_key);
