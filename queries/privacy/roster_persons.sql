-- The persons a roster names (to tell which pseudonyms a mapping may cover).
-- Grain: one row per distinct person of roster.
-- Parameters: none.
SELECT DISTINCT person FROM roster;
