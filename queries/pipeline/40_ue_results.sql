-- UE results: grades resolved to students and cohorts, then each UE's weighted mean.
-- Grain: grade_records one row per cohort × student × UE × assessment (when several
--   identities of a person or several files give the same assessment, a cohort-specific row
--   beats a row for every cohort, then the latest file and line win); ue_results_at(p_as_of)
--   one row per cohort × student × configured UE, graded or not.
-- Parameters: none for the table; p_as_of (macro argument, a local DATE): only grades dated
--   on or before it, or undated, count.
-- mean = Σ grade_on_20 × weight / Σ weight over the UE's assessments (NULL: no grade yet);
-- below_pass = mean < pass mark (cfg_programme; a 1e-9 tolerance absorbs floating-point
-- noise, no rounding). Grades of UEs no longer in the configuration are left out.
CREATE OR REPLACE TABLE grade_records AS
WITH resolved AS (
    SELECT
        cs.cohort_id,
        cs.person_key,
        cs.student,
        g.ue,
        g.assessment_key,
        g.assessment,
        g.grade_on_20,
        g.weight,
        g.graded_on,
        row_number() OVER (
            PARTITION BY cs.cohort_id, cs.person_key, g.ue, g.assessment_key
            ORDER BY (g.cohort_id IS NOT NULL) DESC, g.file_id DESC, g.line DESC
        ) AS n
    FROM grades AS g
    JOIN persons AS p ON p.ident_id = g.ident_id
    JOIN cohort_students AS cs
        ON cs.person_key = p.person_key AND (g.cohort_id IS NULL OR g.cohort_id = cs.cohort_id)
    JOIN cfg_units AS u ON u.code = g.ue
)
SELECT cohort_id, person_key, student, ue, assessment_key, assessment, grade_on_20, weight,
       graded_on
FROM resolved
WHERE n = 1;

CREATE OR REPLACE MACRO ue_results_at(p_as_of) AS TABLE
WITH means AS (
    SELECT
        cohort_id,
        person_key,
        ue,
        sum(grade_on_20 * weight) / sum(weight) AS mean,
        count(*) AS assessments
    FROM grade_records
    WHERE graded_on IS NULL OR graded_on <= p_as_of
    GROUP BY cohort_id, person_key, ue
)
SELECT
    cs.cohort_id AS cohort,
    cs.student,
    u.code AS ue,
    u.semester,
    u.coefficient,
    m.mean,
    m.mean < r.pass_mark - 1e-9 AS below_pass,
    u.title,
    coalesce(m.assessments, 0) AS assessments,
    u.position,
    u.semester_position
FROM cohort_students AS cs
CROSS JOIN cfg_units AS u
CROSS JOIN cfg_programme AS r
LEFT JOIN means AS m
    ON m.cohort_id = cs.cohort_id AND m.person_key = cs.person_key AND m.ue = u.code;
