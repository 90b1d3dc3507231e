-- Stage studentAssessment.csv: type, check and pseudonymise each record of _oulad_src.
-- Grain: _oulad_stage one row per data record (rn), with the oulad_student_assessments
--   columns and the reason the record is rejected (NULL when it is valid).
-- Parameters: none. Inputs: _oulad_src; _oulad_ids (id_student → pseudonym);
--   oulad_assessments (gives each assessment's presentation, so assessments.csv is
--   ingested first). An empty score is allowed (not marked).
CREATE OR REPLACE TEMP TABLE _oulad_stage AS
WITH t AS (
    SELECT
        s.rn,
        i.student,
        nullif(trim(s.id_assessment), '') AS id_text,
        nullif(trim(s.date_submitted), '') AS date_text,
        nullif(trim(s.is_banked), '') AS banked_text,
        nullif(trim(s.score), '') AS score_text
    FROM _oulad_src AS s
    LEFT JOIN _oulad_ids AS i ON i.id_text = trim(s.id_student)
)
SELECT
    t.rn,
    try_cast(t.id_text AS BIGINT) AS id_assessment,
    t.student,
    a.presentation,
    try_cast(t.date_text AS INTEGER) AS date_submitted,
    t.banked_text = '1' AS is_banked,
    try_cast(t.score_text AS DOUBLE) AS score,
    CASE
        WHEN t.student IS NULL THEN 'id_student is empty or not a whole number'
        WHEN t.id_text IS NULL THEN 'empty id_assessment'
        WHEN try_cast(t.id_text AS BIGINT) IS NULL THEN 'id_assessment ''' || t.id_text
            || ''' is not a whole number'
        WHEN a.presentation IS NULL THEN 'id_assessment ' || t.id_text
            || ' is not in assessments.csv (ingest the whole OULAD folder)'
        WHEN t.date_text IS NULL THEN 'empty date_submitted'
        WHEN try_cast(t.date_text AS INTEGER) IS NULL THEN 'date_submitted '''
            || t.date_text || ''' is not a whole number of days'
        WHEN coalesce(t.banked_text, '') NOT IN ('0', '1')
            THEN 'is_banked ''' || coalesce(t.banked_text, '') || ''' is not 0 or 1'
        WHEN t.score_text IS NOT NULL
            AND coalesce(try_cast(t.score_text AS DOUBLE) NOT BETWEEN 0 AND 100, TRUE)
            THEN 'score ''' || t.score_text || ''' is not a number from 0 to 100'
    END AS reason
FROM t
LEFT JOIN oulad_assessments AS a ON a.id_assessment = try_cast(t.id_text AS BIGINT);
