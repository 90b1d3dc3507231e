-- Stage studentInfo.csv: type, check and pseudonymise each record read by read_source.sql.
-- Grain: _oulad_stage one row per data record (rn), with the oulad_students columns and the
--   reason the record is rejected (NULL when it is valid).
-- Parameters: none. Inputs: _oulad_src; _oulad_ids (id_student → pseudonym, hashed in
--   Python once per distinct id). id_student itself is not kept, nor echoed in a reason.
CREATE OR REPLACE TEMP TABLE _oulad_stage AS
WITH t AS (
    SELECT
        s.rn,
        i.student,
        nullif(trim(s.code_module), '') AS code_module,
        nullif(trim(s.code_presentation), '') AS code_presentation,
        nullif(trim(s.gender), '') AS gender,
        nullif(trim(s.region), '') AS region,
        nullif(trim(s.highest_education), '') AS highest_education,
        nullif(trim(s.imd_band), '') AS imd_band,
        nullif(trim(s.age_band), '') AS age_band,
        nullif(trim(s.num_of_prev_attempts), '') AS attempts_text,
        nullif(trim(s.studied_credits), '') AS credits_text,
        nullif(trim(s.disability), '') AS disability,
        nullif(trim(s.final_result), '') AS final_result
    FROM _oulad_src AS s
    LEFT JOIN _oulad_ids AS i ON i.id_text = trim(s.id_student)
)
SELECT
    rn,
    code_module || '_' || code_presentation AS presentation,
    student,
    code_module,
    code_presentation,
    gender,
    region,
    highest_education,
    imd_band,
    age_band,
    try_cast(attempts_text AS INTEGER) AS num_of_prev_attempts,
    try_cast(credits_text AS INTEGER) AS studied_credits,
    disability,
    final_result,
    CASE
        WHEN student IS NULL THEN 'id_student is empty or not a whole number'
        WHEN code_module IS NULL THEN 'empty code_module'
        WHEN code_presentation IS NULL THEN 'empty code_presentation'
        WHEN final_result IS NULL THEN 'empty final_result'
        WHEN final_result NOT IN ('Pass', 'Distinction', 'Fail', 'Withdrawn')
            THEN 'final_result ''' || final_result
                || ''' is not Pass, Distinction, Fail or Withdrawn'
        WHEN attempts_text IS NOT NULL AND try_cast(attempts_text AS INTEGER) IS NULL
            THEN 'num_of_prev_attempts ''' || attempts_text || ''' is not a whole number'
        WHEN credits_text IS NOT NULL AND try_cast(credits_text AS INTEGER) IS NULL
            THEN 'studied_credits ''' || credits_text || ''' is not a whole number'
    END AS reason
FROM t;
