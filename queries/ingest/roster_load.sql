-- One roster file into the warehouse: its people (latest row per person and cohort), the
-- identities it attributes to them, and the folded names it gives them.
-- Grain: roster one row per person × cohort; identity_links one row per identity;
--   name_keys one row per folded name × person.
-- Parameters: $id (the file id), $name (the file's base name). Reads the registered frames
--   _roster_df (line, person, cohort_id, role, group_name, tutor), _links_df (ident, person) and
--   _keys_df (folded, person).
-- Returns the number of roster rows that are new or changed (the account's "loaded").
CREATE OR REPLACE TEMP TABLE _roster_new AS
SELECT s.person, s.cohort_id, s.role, s.group_name, s.tutor
FROM (SELECT *, row_number() OVER (PARTITION BY person, cohort_id ORDER BY line DESC) AS n
      FROM _roster_df) AS s
WHERE s.n = 1 AND NOT EXISTS (
    SELECT 1 FROM roster AS r WHERE r.person = s.person
      AND r.cohort_id = s.cohort_id AND r.role = s.role
      AND r.group_name IS NOT DISTINCT FROM s.group_name
      AND r.tutor IS NOT DISTINCT FROM s.tutor);

INSERT OR REPLACE INTO roster (person, cohort_id, role, group_name, file_id, tutor)
SELECT person, cohort_id, role, group_name, $id, tutor FROM _roster_new;

INSERT OR REPLACE INTO identity_links SELECT ident, person, $name FROM _links_df;

INSERT OR REPLACE INTO name_keys SELECT DISTINCT folded, person, $id FROM _keys_df;

SELECT count(*) AS loaded FROM _roster_new;
