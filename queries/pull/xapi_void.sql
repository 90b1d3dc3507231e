-- Remove the events of statements an LRS has since voided (m2if pull lrs).
-- Grain: deletes at most one raw_events row per voided statement id (its event_key is
--   md5 of 'xapi', 'id' and the lower-case statement id, as queries/ingest/xapi_insert.sql
--   keys a statement with an id).
-- Parameters: none. Input: _voided (id VARCHAR), registered by m2if_analytics.pull.lrs.
DELETE FROM raw_events
WHERE event_key IN (
    SELECT md5_number(concat_ws(chr(31), 'xapi', 'id', lower(trim(id)))) FROM _voided
);
