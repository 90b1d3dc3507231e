-- Staged events: each raw event with the person it belongs to and its local time.
-- Grain: one row per raw event (a table macro: nothing is copied).
-- Parameters: p_tz (macro argument; the pipeline passes $tz, the programme's IANA timezone).
-- A hashed identity taught by a roster maps to that person's pseudonym; any other identity
-- is its own person (pseudonym 'p' + 12 hex digits of the hash).
CREATE OR REPLACE MACRO stg_events(p_tz) AS TABLE
SELECT
    coalesce(l.person, 'p' || left(e.ident, 12)) AS person,
    e.ts,
    e.ts AT TIME ZONE p_tz AS local_ts,
    e.event_name,
    e.component,
    e.context,
    e.source
FROM raw_events AS e
LEFT JOIN identity_links AS l ON l.ident = e.ident;
