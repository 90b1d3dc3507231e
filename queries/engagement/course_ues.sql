-- The UE of each platform course a [[units]] courses list names (the first configured UE
-- when several name it).
-- Grain: one row per course id.
-- Parameters: none.
SELECT course_id, arg_min(code, position) AS ue
FROM cfg_unit_courses
GROUP BY course_id
ORDER BY course_id;
