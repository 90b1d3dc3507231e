-- The people of one cohort: its students, and its teachers and other staff when asked,
--   with their roster group (a table macro the collaboration queries share).
-- Grain: one row per person of the cohort (roster row, or fallback student of a cohort
--   without roster).
-- Parameters (macro arguments): p_cohort (cohort id); p_group (a roster group, or NULL for
--   every group: with a group, students of other groups are left out, staff are kept);
--   p_include_teachers (boolean: false keeps students only).
-- role is 'student', 'teacher' or 'other' (any other roster role, the director of studies
-- among them). The professional tutor (role 'professional_tutor', outside the university)
-- is never one of them. A cohort without roster rows has its fallback students
-- (15_cohort_students.sql), without group.
CREATE OR REPLACE MACRO cohort_people(p_cohort, p_group, p_include_teachers) AS TABLE
WITH members AS (
    SELECT
        person,
        CASE WHEN role IN ('student', 'teacher') THEN role ELSE 'other' END AS role,
        group_name
    FROM roster
    WHERE cohort_id = p_cohort AND role <> 'professional_tutor'
    UNION ALL
    SELECT student AS person, 'student' AS role, group_name
    FROM cohort_students
    WHERE cohort_id = p_cohort AND NOT from_roster
)
SELECT person, role, group_name
FROM members
WHERE (p_include_teachers OR role = 'student')
  AND (p_group IS NULL OR role <> 'student' OR group_name = p_group);
