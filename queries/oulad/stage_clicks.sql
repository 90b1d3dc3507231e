-- Stage studentVle.csv (or studentVle_<MODULE>_<PRESENTATION>.csv): type, check and
--   pseudonymise each record of _oulad_src.
-- Grain: _oulad_stage one row per data record (rn): presentation, student, id_site, day,
--   clicks, and the reason the record is rejected (NULL when it is valid).
-- Parameters: none. Inputs: _oulad_src; _oulad_ids (id_student → pseudonym).
CREATE OR REPLACE TEMP TABLE _oulad_stage AS
WITH t AS (
    SELECT
        s.rn,
        i.student,
        nullif(trim(s.code_module), '') AS code_module,
        nullif(trim(s.code_presentation), '') AS code_presentation,
        nullif(trim(s.id_site), '') AS site_text,
        nullif(trim(s.date), '') AS date_text,
        nullif(trim(s.sum_click), '') AS clicks_text
    FROM _oulad_src AS s
    LEFT JOIN _oulad_ids AS i ON i.id_text = trim(s.id_student)
)
SELECT
    rn,
    code_module || '_' || code_presentation AS presentation,
    student,
    try_cast(site_text AS BIGINT) AS id_site,
    try_cast(date_text AS INTEGER) AS day,
    try_cast(clicks_text AS BIGINT) AS clicks,
    CASE
        WHEN student IS NULL THEN 'id_student is empty or not a whole number'
        WHEN code_module IS NULL THEN 'empty code_module'
        WHEN code_presentation IS NULL THEN 'empty code_presentation'
        WHEN site_text IS NULL THEN 'empty id_site'
        WHEN try_cast(site_text AS BIGINT) IS NULL THEN 'id_site ''' || site_text
            || ''' is not a whole number'
        WHEN date_text IS NULL THEN 'empty date'
        WHEN try_cast(date_text AS INTEGER) IS NULL THEN 'date ''' || date_text
            || ''' is not a whole number of days'
        WHEN clicks_text IS NULL THEN 'empty sum_click'
        WHEN coalesce(try_cast(clicks_text AS BIGINT) < 0, TRUE) THEN 'sum_click '''
            || clicks_text || ''' is not a whole number >= 0'
    END AS reason
FROM t;
