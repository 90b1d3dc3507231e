-- Staged events: each raw event with its person and its local time.
-- Grain: one row per raw event (a table macro: nothing is copied).
-- Parameters: p_tz (macro argument; the pipeline passes $tz, the programme's IANA timezone).
CREATE OR REPLACE MACRO stg_events(p_tz) AS TABLE
SELECT
    p.person_key,
    e.ts,
    e.ts AT TIME ZONE p_tz AS local_ts,
    e.event_name,
    e.component,
    e.context,
    e.course_id,
    e.cmid
FROM raw_events AS e
JOIN persons AS p ON p.ident_id = e.ident_id;
