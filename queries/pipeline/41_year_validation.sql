-- The year's validation: every UE at the pass mark, no compensation between UEs; and each
-- semester's result, whatever the programme's semester labels ("3", "S1", "Semestre 2").
-- Grain: semester_results_at(p_as_of) one row per cohort × student × configured semester;
--   year_validation_at(p_as_of) one row per cohort × student.
-- Parameters: p_as_of (macro argument, a local DATE, passed on to ue_results_at).
-- A semester's mean: coefficient-weighted mean of its UE means, NULL while one of its UEs
-- has no grade; its status: 'not_validated' as soon as one graded UE is below the pass mark,
-- 'validated' when every UE is graded and none is below, 'not_yet' otherwise; blocking_ues:
-- its UEs below the pass mark (configuration order).
-- year_mean: the same over every UE (NULL while one is ungraded). validated: false as soon
-- as one graded UE is below the pass mark, true when every UE is graded and none is below,
-- NULL otherwise. honours: the band of year_mean (cfg_programme honours_*, 1e-9 tolerance)
-- when validated.
CREATE OR REPLACE MACRO semester_results_at(p_as_of) AS TABLE
SELECT
    cohort,
    student,
    semester,
    min(semester_position) AS semester_position,
    CASE WHEN count(*) FILTER (WHERE mean IS NULL) = 0
         THEN sum(mean * coefficient) / sum(coefficient)
    END AS mean,
    CASE WHEN coalesce(bool_or(below_pass), false) THEN 'not_validated'
         WHEN count(*) FILTER (WHERE mean IS NULL) = 0 THEN 'validated'
         ELSE 'not_yet'
    END AS status,
    coalesce(list(ue ORDER BY position) FILTER (WHERE below_pass),
             CAST([] AS VARCHAR[])) AS blocking_ues
FROM ue_results_at(p_as_of)
GROUP BY cohort, student, semester;

CREATE OR REPLACE MACRO year_validation_at(p_as_of) AS TABLE
WITH per_student AS (
    SELECT
        cohort,
        student,
        CASE WHEN count(*) FILTER (WHERE mean IS NULL) = 0
             THEN sum(mean * coefficient) / sum(coefficient)
        END AS year_mean,
        coalesce(bool_or(below_pass), false) AS blocked,
        count(*) FILTER (WHERE mean IS NULL) = 0 AS complete,
        list(ue ORDER BY position) FILTER (WHERE below_pass) AS blocking_ues
    FROM ue_results_at(p_as_of)
    GROUP BY cohort, student
)
SELECT
    cs.cohort_id AS cohort,
    cs.student,
    ps.year_mean,
    CASE WHEN ps.blocked THEN false WHEN ps.complete THEN true END AS validated,
    coalesce(ps.blocking_ues, CAST([] AS VARCHAR[])) AS blocking_ues,
    CASE WHEN ps.complete AND NOT ps.blocked THEN
        CASE WHEN ps.year_mean >= r.honours_tres_bien - 1e-9 THEN 'très bien'
             WHEN ps.year_mean >= r.honours_bien - 1e-9 THEN 'bien'
             WHEN ps.year_mean >= r.honours_assez_bien - 1e-9 THEN 'assez bien'
             WHEN ps.year_mean >= r.honours_passable - 1e-9 THEN 'passable'
        END
    END AS honours
FROM cohort_students AS cs
CROSS JOIN cfg_programme AS r
LEFT JOIN per_student AS ps ON ps.cohort = cs.cohort_id AND ps.student = cs.student;
