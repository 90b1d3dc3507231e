-- How many roster rows a cohort has (0: everyone with events counts as a student).
-- Grain: one row (n).
-- Parameters: $c (cohort id).
SELECT count(*) AS n FROM roster WHERE cohort_id = $c;
