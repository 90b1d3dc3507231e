-- Stage the valid records of a logstore dump: hashed identities and the dedup key.
-- Grain: one row per valid record of _ls_typed.
-- Parameters: none. Inputs: _ls_typed (logstore_typed.sql) and _ls_idents (userid → ident,
--   built in Python from the distinct user ids so that each id is hashed once).
-- Dedup key: the record's own id, user, time, event and context: re-ingesting a dump or an
--   overlapping one adds nothing; IP, "other" and realuserid are never read into a table.
CREATE OR REPLACE TEMP TABLE _staged AS
SELECT md5_number(concat_ws(chr(31), 'logstore', l.id, l.uid, l.t, l.eventname,
                            l.contextid)) AS event_key,
       l.rec AS line,
       'logstore' AS source,
       u.ident,
       r.ident AS related_ident,
       to_timestamp(l.t) AS ts,
       l.eventname AS event_name,
       l.component,
       CAST(NULL AS VARCHAR) AS context,
       TRY_CAST(l.courseid AS BIGINT) AS course_id,
       CASE WHEN trim(l.contextlevel) = '70' THEN TRY_CAST(l.contextinstanceid AS BIGINT) END
           AS cmid,
       l.origin
FROM _ls_typed AS l
JOIN _ls_idents AS u ON u.userid = l.uid
LEFT JOIN _ls_idents AS r ON r.userid = TRY_CAST(l.relateduserid AS BIGINT)
WHERE l.uid > 0 AND l.t BETWEEN 0 AND 32503680000 AND l.eventname IS NOT NULL;
