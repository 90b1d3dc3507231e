-- Load one file's staged events into raw_events, once each.
-- Grain: one row per distinct event_key not already in raw_events (first line wins).
-- Parameters: $file_id (the ingest_files id of the file being loaded).
-- Input: temp table _staged (event_key, line, source, ident, related_ident, ts, event_name,
--   component, context, course_id, cmid, origin), built by the format's staging step.
INSERT INTO raw_events
SELECT s.event_key, $file_id, s.source, s.ident, s.related_ident, s.ts, s.event_name,
       s.component, s.context, s.course_id, s.cmid, s.origin
FROM (
    SELECT *, row_number() OVER (PARTITION BY event_key ORDER BY line) AS copy_no
    FROM _staged
) AS s
WHERE s.copy_no = 1
  AND NOT EXISTS (SELECT 1 FROM raw_events AS r WHERE r.event_key = s.event_key);
