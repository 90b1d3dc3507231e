-- Assignments with a due date in the courses mapped to UEs: the deadlines.
-- Grain: one row per assignment (duedate 0 = no due date: not a deadline).
-- Parameters: none. Tables: {assign}; {course_filter} on assign.course.
SELECT a.id, a.course, a.name, a.duedate
FROM {assign} AS a
WHERE a.duedate > 0 {course_filter}
ORDER BY a.id;
