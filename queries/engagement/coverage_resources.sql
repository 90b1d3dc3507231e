-- The documents a cohort's programme provides (m2if ingest resources): what document
-- coverage counts besides the documents seen in the logs (README: "Document coverage").
-- Grain: one row per document (course module) of the cohort.
-- Parameters: $c (cohort id).
SELECT course_id, cmid, ue AS listed_ue, name
FROM resources
WHERE cohort_id = $c
ORDER BY cmid;
