-- The local wall-clock time of the latest event in the warehouse (data freshness).
-- Grain: one row (latest; NULL for an empty warehouse).
-- Parameters: $tz (programme timezone).
SELECT max(ts) AT TIME ZONE $tz AS latest FROM raw_events;
