-- Who holds a role in the programme's courses: user, names, e-mail, role short name.
-- Grain: one row per role assignment in a course context (contextlevel 50).
-- Parameters: none. Tables: {role_assignments}, {context}, {role}, {user};
--   {course_filter} limits to the programme's courses (on the context's instanceid).
SELECT u.id, u.firstname, u.lastname, u.email, r.shortname, ctx.instanceid
FROM {role_assignments} AS ra
JOIN {context} AS ctx ON ctx.id = ra.contextid AND ctx.contextlevel = 50
JOIN {role} AS r ON r.id = ra.roleid
JOIN {user} AS u ON u.id = ra.userid
WHERE u.deleted = 0 {course_filter}
ORDER BY u.id, ra.id;
