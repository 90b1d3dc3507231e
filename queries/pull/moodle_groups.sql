-- Group memberships in the programme's courses.
-- Grain: one row per (user, group).
-- Parameters: none. Tables: {groups}, {groups_members}; {course_filter} on groups.courseid.
SELECT gm.userid, g.id, g.name
FROM {groups_members} AS gm
JOIN {groups} AS g ON g.id = gm.groupid
WHERE 1 = 1 {course_filter}
ORDER BY gm.userid, g.id;
