-- Stage studentRegistration.csv: type, check and pseudonymise each record of _oulad_src.
-- Grain: _oulad_stage one row per data record (rn), with the oulad_registrations columns
--   and the reason the record is rejected (NULL when it is valid).
-- Parameters: none. Inputs: _oulad_src; _oulad_ids (id_student → pseudonym). Both dates may
--   be empty (date_unregistration is empty unless the student unregistered).
CREATE OR REPLACE TEMP TABLE _oulad_stage AS
WITH t AS (
    SELECT
        s.rn,
        i.student,
        nullif(trim(s.code_module), '') AS code_module,
        nullif(trim(s.code_presentation), '') AS code_presentation,
        nullif(trim(s.date_registration), '') AS reg_text,
        nullif(trim(s.date_unregistration), '') AS unreg_text
    FROM _oulad_src AS s
    LEFT JOIN _oulad_ids AS i ON i.id_text = trim(s.id_student)
)
SELECT
    rn,
    code_module || '_' || code_presentation AS presentation,
    student,
    code_module,
    code_presentation,
    try_cast(reg_text AS INTEGER) AS date_registration,
    try_cast(unreg_text AS INTEGER) AS date_unregistration,
    CASE
        WHEN student IS NULL THEN 'id_student is empty or not a whole number'
        WHEN code_module IS NULL THEN 'empty code_module'
        WHEN code_presentation IS NULL THEN 'empty code_presentation'
        WHEN reg_text IS NOT NULL AND try_cast(reg_text AS INTEGER) IS NULL
            THEN 'date_registration ''' || reg_text || ''' is not a whole number of days'
        WHEN unreg_text IS NOT NULL AND try_cast(unreg_text AS INTEGER) IS NULL
            THEN 'date_unregistration ''' || unreg_text || ''' is not a whole number of days'
    END AS reason
FROM t;
