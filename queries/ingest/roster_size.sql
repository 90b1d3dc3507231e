-- How many roster rows the warehouse holds (0: no roster loaded).
-- Grain: one row (n).
-- Parameters: none.
SELECT count(*) AS n FROM roster;
