-- The next batch of Moodle's log (logstore_standard_log), in id order: the columns a
-- logstore dump is read with, never ip, other, realuserid or anonymous.
-- Grain: one row per log record with $after < id <= $last.
-- Parameters: $after (the high-water mark), $last (the batch's last id).
-- Tables: {logstore_standard_log}; {course_filter} limits to the programme's courses.
SELECT id, eventname, component, contextid, contextlevel, contextinstanceid, userid,
       courseid, relateduserid, timecreated, origin
FROM {logstore_standard_log}
WHERE id > $after AND id <= $last {course_filter}
ORDER BY id;
