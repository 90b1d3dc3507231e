-- Stage assessments.csv: type and check each record read by read_source.sql.
-- Grain: _oulad_stage one row per data record (rn), with the oulad_assessments columns and
--   the reason the record is rejected (NULL when it is valid).
-- Parameters: none. Input: _oulad_src. An empty date is allowed (most final exams have none).
CREATE OR REPLACE TEMP TABLE _oulad_stage AS
WITH t AS (
    SELECT
        rn,
        nullif(trim(id_assessment), '') AS id_text,
        nullif(trim(code_module), '') AS code_module,
        nullif(trim(code_presentation), '') AS code_presentation,
        nullif(trim(assessment_type), '') AS assessment_type,
        nullif(trim(date), '') AS date_text,
        nullif(trim(weight), '') AS weight_text
    FROM _oulad_src
)
SELECT
    rn,
    try_cast(id_text AS BIGINT) AS id_assessment,
    code_module || '_' || code_presentation AS presentation,
    code_module,
    code_presentation,
    assessment_type,
    try_cast(date_text AS INTEGER) AS due_day,
    try_cast(weight_text AS DOUBLE) AS weight,
    CASE
        WHEN id_text IS NULL THEN 'empty id_assessment'
        WHEN try_cast(id_text AS BIGINT) IS NULL THEN 'id_assessment ''' || id_text
            || ''' is not a whole number'
        WHEN code_module IS NULL THEN 'empty code_module'
        WHEN code_presentation IS NULL THEN 'empty code_presentation'
        WHEN assessment_type IS NULL THEN 'empty assessment_type'
        WHEN assessment_type NOT IN ('TMA', 'CMA', 'Exam') THEN 'assessment_type '''
            || assessment_type || ''' is not TMA, CMA or Exam'
        WHEN date_text IS NOT NULL AND try_cast(date_text AS INTEGER) IS NULL
            THEN 'date ''' || date_text || ''' is not a whole number of days'
        WHEN weight_text IS NOT NULL AND coalesce(try_cast(weight_text AS DOUBLE) < 0, TRUE)
            THEN 'weight ''' || weight_text || ''' is not a number >= 0'
    END AS reason
FROM t;
