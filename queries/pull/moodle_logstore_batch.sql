-- How many log rows the next batch holds, and its last id (Moodle's database, read-only).
-- Grain: one row: (rows, last id) of the rows with id > $after, at most $batch of them.
-- Parameters: $after (the high-water mark: last id read), $batch.
-- Tables: {logstore_standard_log}; {course_filter} limits to the programme's courses.
SELECT count(*), max(b.id) FROM (
    SELECT id FROM {logstore_standard_log}
    WHERE id > $after {course_filter}
    ORDER BY id
    LIMIT $batch
) AS b;
