-- The people of one cohort for the collaboration metrics: its students, and its teachers
--   and other staff when asked, with their roster group.
-- Grain: one row per person of the cohort (roster row, or fallback student of a cohort
--   without roster).
-- Parameters: $cohort (cohort id); $group (a roster group, or NULL for every group: with a
--   group, students of other groups are left out, staff are kept); $include_teachers
--   (boolean: false keeps students only).
-- role is 'student', 'teacher' or 'other' (any other roster role). A cohort without roster
-- rows has its fallback students (queries/pipeline/15_cohort_students.sql), without group.
WITH members AS (
    SELECT
        person,
        CASE WHEN role IN ('student', 'teacher') THEN role ELSE 'other' END AS role,
        group_name
    FROM roster
    WHERE cohort_id = $cohort
    UNION ALL
    SELECT student AS person, 'student' AS role, group_name
    FROM cohort_students
    WHERE cohort_id = $cohort AND NOT from_roster
)
SELECT person AS student, group_name AS "group", role
FROM members
WHERE ($include_teachers OR role = 'student')
  AND ($group IS NULL OR role <> 'student' OR group_name = $group)
ORDER BY role <> 'student', person;
