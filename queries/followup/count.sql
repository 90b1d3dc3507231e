-- How many contacts the follow-up log holds (a change means the reports' "last contact" may
-- have changed).
-- Grain: one row.
-- Parameters: none.
SELECT count(*) AS contacts FROM followups;
