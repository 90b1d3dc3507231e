-- Figures of one refresh: what was recomputed against the whole table.
-- Grain: one row: rows_recomputed (weekly_engagement rows of the affected persons from their
--   from_week), rows_total (weekly_engagement rows), events_recomputed (events in the
--   weekly_activity rows rewritten).
-- Parameters: none (reads _refresh_persons, weekly_engagement, weekly_activity).
SELECT
    (SELECT count(*) FROM weekly_engagement AS w JOIN _refresh_persons AS r
        ON r.student = w.student
     WHERE r.from_week IS NULL OR w.week_start >= r.from_week) AS rows_recomputed,
    (SELECT count(*) FROM weekly_engagement) AS rows_total,
    (SELECT coalesce(sum(a.events), 0) FROM weekly_activity AS a JOIN _refresh_persons AS r
        ON r.student = a.student
     WHERE r.from_week IS NULL OR a.week_start >= r.from_week) AS events_recomputed;
