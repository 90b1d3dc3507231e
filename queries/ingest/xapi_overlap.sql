-- How many xAPI events repeat a Moodle log event: same person, same second.
-- Grain: one row: shared (xAPI events with such a twin), xapi_events (all xAPI events).
-- Parameters: none.
-- Persons as in 10_persons.sql (the roster's person when identity_links knows the identity,
-- else the identity itself), so a statement by e-mail meets a log row by user id. Moodle
-- events are those of files of kind 'moodle' (downloads and logstore dumps). A Moodle plugin
-- that emits xAPI statements from the same logs gives twins for nearly every event.
WITH person AS (
    SELECT i.ident_id, coalesce(l.person, i.ident) AS person
    FROM identities AS i
    LEFT JOIN identity_links AS l ON l.ident = i.ident
),
events AS (
    SELECT p.person, date_trunc('second', e.ts) AS second, f.kind
    FROM raw_events AS e
    JOIN ingest_files AS f USING (file_id)
    JOIN person AS p ON p.ident_id = e.ident_id
    WHERE f.kind IN ('xapi', 'moodle')
),
moodle AS (
    SELECT DISTINCT person, second FROM events WHERE kind = 'moodle'
)
SELECT
    count(*) FILTER (WHERE m.person IS NOT NULL) AS shared,
    count(*) AS xapi_events
FROM events AS x
LEFT JOIN moodle AS m ON m.person = x.person AND m.second = x.second
WHERE x.kind = 'xapi';
