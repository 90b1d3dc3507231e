-- The course module id (cmid) of each assignment, which the logs name.
-- Grain: one row per assignment course module.
-- Parameters: none. Tables: {course_modules}, {modules}.
SELECT cm.instance, cm.id
FROM {course_modules} AS cm
JOIN {modules} AS m ON m.id = cm.module AND m.name = 'assign';
