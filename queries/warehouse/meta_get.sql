-- One value of the warehouse's bookkeeping table (schema version, key fingerprint, stamps).
-- Grain: zero or one row (value).
-- Parameters: $key (the meta key).
SELECT value FROM meta WHERE key = $key;
