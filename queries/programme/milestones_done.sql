-- The milestones a milestones file says each student completed (latest file and line win).
-- Grain: one row per student × milestone id (lower case).
-- Parameters: $c (cohort id).
SELECT cs.student, lower(m.milestone) AS milestone,
       arg_max(m.done_on, (m.file_id, m.line)) AS done_on
FROM milestones_done AS m
JOIN persons AS p ON p.ident_id = m.ident_id
JOIN cohort_students AS cs
    ON cs.person_key = p.person_key AND (m.cohort_id IS NULL OR m.cohort_id = cs.cohort_id)
WHERE cs.cohort_id = $c
GROUP BY cs.student, lower(m.milestone);
