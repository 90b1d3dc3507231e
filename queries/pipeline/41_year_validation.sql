-- The year's validation: every UE at the pass mark, no compensation between UEs.
-- Grain: year_validation_at(p_as_of) one row per cohort × student.
-- Parameters: p_as_of (macro argument, a local DATE, passed on to ue_results_at).
-- s3_mean / s4_mean: coefficient-weighted mean of the semester's UE means, NULL while one of
-- its UEs has no grade; year_mean: the same over every UE (NULL while one is ungraded).
-- validated: false as soon as one graded UE is below the pass mark (whatever the others),
-- true when every UE is graded and none is below, NULL otherwise (incomplete, nothing
-- blocks yet). blocking_ues: the UEs below the pass mark, in configuration order.
-- honours: the band of year_mean (cfg_programme honours_*, 1e-9 tolerance) when validated.
CREATE OR REPLACE MACRO year_validation_at(p_as_of) AS TABLE
WITH per_student AS (
    SELECT
        cohort,
        student,
        CASE WHEN count(*) FILTER (WHERE semester = 3) > 0
                  AND count(*) FILTER (WHERE semester = 3 AND mean IS NULL) = 0
             THEN sum(mean * coefficient) FILTER (WHERE semester = 3)
                  / sum(coefficient) FILTER (WHERE semester = 3)
        END AS s3_mean,
        CASE WHEN count(*) FILTER (WHERE semester = 4) > 0
                  AND count(*) FILTER (WHERE semester = 4 AND mean IS NULL) = 0
             THEN sum(mean * coefficient) FILTER (WHERE semester = 4)
                  / sum(coefficient) FILTER (WHERE semester = 4)
        END AS s4_mean,
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
    ps.s3_mean,
    ps.s4_mean,
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
