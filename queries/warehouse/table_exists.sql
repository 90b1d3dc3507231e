-- Whether a table exists in the warehouse (any schema).
-- Grain: one row (n: 0 or more).
-- Parameters: $name (the table's name).
SELECT count(*) AS n FROM information_schema.tables WHERE table_name = $name;
