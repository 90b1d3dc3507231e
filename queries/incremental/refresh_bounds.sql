-- How far back the refresh reads: the affected persons, and the earliest week and instant.
-- Grain: one row: persons (affected), from_week (the earliest from_week; NULL when one person
--   needs every week), read_from (that week's local midnight minus the timeout and a day, as
--   20_event_credits.sql requires; NULL likewise).
-- Parameters: $tz (programme timezone), $timeout_seconds (inactivity timeout).
SELECT
    count(*) AS persons,
    CASE WHEN NOT bool_or(from_week IS NULL) THEN min(from_week) END AS from_week,
    CASE WHEN NOT bool_or(from_week IS NULL) THEN
        min(CAST(from_week AS TIMESTAMP) AT TIME ZONE $tz) - to_seconds($timeout_seconds)
            - INTERVAL 1 DAY
    END AS read_from
FROM _refresh_persons;
