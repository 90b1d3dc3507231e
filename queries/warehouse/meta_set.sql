-- Record one value in the warehouse's bookkeeping table, replacing the previous one.
-- Grain: one row of meta per key.
-- Parameters: $key (the meta key), $value (its text).
INSERT OR REPLACE INTO meta VALUES ($key, $value);
