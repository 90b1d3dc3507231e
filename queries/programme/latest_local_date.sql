-- The local date of the latest event in the warehouse (the default day indicators judge on).
-- Grain: one row (latest; NULL for an empty warehouse).
-- Parameters: $tz (programme timezone).
SELECT CAST(max(ts) AT TIME ZONE $tz AS DATE) AS latest FROM raw_events;
