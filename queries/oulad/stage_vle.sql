-- Stage vle.csv: type and check each record read by read_source.sql.
-- Grain: _oulad_stage one row per data record (rn), with the oulad_vle columns and the
--   reason the record is rejected (NULL when it is valid).
-- Parameters: none. Input: _oulad_src. week_from and week_to may be empty.
CREATE OR REPLACE TEMP TABLE _oulad_stage AS
WITH t AS (
    SELECT
        rn,
        nullif(trim(id_site), '') AS id_text,
        nullif(trim(code_module), '') AS code_module,
        nullif(trim(code_presentation), '') AS code_presentation,
        nullif(trim(activity_type), '') AS activity_type,
        nullif(trim(week_from), '') AS from_text,
        nullif(trim(week_to), '') AS to_text
    FROM _oulad_src
)
SELECT
    rn,
    try_cast(id_text AS BIGINT) AS id_site,
    code_module || '_' || code_presentation AS presentation,
    code_module,
    code_presentation,
    activity_type,
    try_cast(from_text AS INTEGER) AS week_from,
    try_cast(to_text AS INTEGER) AS week_to,
    CASE
        WHEN id_text IS NULL THEN 'empty id_site'
        WHEN try_cast(id_text AS BIGINT) IS NULL THEN 'id_site ''' || id_text
            || ''' is not a whole number'
        WHEN code_module IS NULL THEN 'empty code_module'
        WHEN code_presentation IS NULL THEN 'empty code_presentation'
        WHEN activity_type IS NULL THEN 'empty activity_type'
        WHEN from_text IS NOT NULL AND try_cast(from_text AS INTEGER) IS NULL
            THEN 'week_from ''' || from_text || ''' is not a whole number'
        WHEN to_text IS NOT NULL AND try_cast(to_text AS INTEGER) IS NULL
            THEN 'week_to ''' || to_text || ''' is not a whole number'
    END AS reason
FROM t;
