-- Stage courses.csv: type and check each record read by read_source.sql.
-- Grain: _oulad_stage one row per data record (rn), with the oulad_courses columns and the
--   reason the record is rejected (NULL when it is valid).
-- Parameters: none. Input: _oulad_src.
CREATE OR REPLACE TEMP TABLE _oulad_stage AS
WITH t AS (
    SELECT
        rn,
        nullif(trim(code_module), '') AS code_module,
        nullif(trim(code_presentation), '') AS code_presentation,
        nullif(trim(module_presentation_length), '') AS length_text
    FROM _oulad_src
)
SELECT
    rn,
    code_module || '_' || code_presentation AS presentation,
    code_module,
    code_presentation,
    try_cast(length_text AS INTEGER) AS length_days,
    CASE
        WHEN code_module IS NULL THEN 'empty code_module'
        WHEN code_presentation IS NULL THEN 'empty code_presentation'
        WHEN length_text IS NULL THEN 'empty module_presentation_length'
        WHEN try_cast(length_text AS INTEGER) IS NULL THEN 'module_presentation_length '''
            || length_text || ''' is not a whole number of days'
    END AS reason
FROM t;
