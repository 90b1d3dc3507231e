-- Every person a roster lists (any cohort, any role).
-- Grain: one row per person.
-- Parameters: none.
SELECT DISTINCT person FROM roster;
