-- Persons: which person each hashed identity belongs to, with a compact key.
-- Grain: one row per identity (identities.ident_id).
-- Parameters: none.
-- An identity a roster attributes (identity_links) maps to that person's pseudonym; any
-- other identity is its own person (pseudonym 'p' + 12 hex digits of its hash).
-- person_key is a dense integer for fast partitioning; it is rebuilt with the table.
CREATE OR REPLACE TABLE persons AS
WITH labelled AS (
    SELECT i.ident_id, coalesce(l.person, 'p' || left(i.ident, 12)) AS person
    FROM identities AS i
    LEFT JOIN identity_links AS l ON l.ident = i.ident
)
SELECT ident_id, person, CAST(dense_rank() OVER (ORDER BY person) AS INTEGER) AS person_key
FROM labelled;
