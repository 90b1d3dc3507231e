-- Submitted work (the latest attempt, status "submitted") changed since the high-water mark.
-- Grain: one row per (assignment, user).
-- Parameters: $since (last assign_submission.timemodified read). Tables: {assign_submission},
--   {assign}; {course_filter} on assign.course.
SELECT s.userid, s.assignment, s.timemodified
FROM {assign_submission} AS s
JOIN {assign} AS a ON a.id = s.assignment
WHERE s.status = 'submitted' AND s.latest = 1 AND s.timemodified >= $since {course_filter}
ORDER BY s.id;
