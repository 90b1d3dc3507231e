-- Persons: which person each hashed identity belongs to, with a compact key.
-- Grain: one row per identity (identities.ident_id).
-- Parameters: none.
-- An identity a roster or an alias file attributes (identity_links) maps to that person's
-- pseudonym. Otherwise a full name whose folded form (accents, case, hyphens, word order:
-- name_folds) belongs to exactly one roster person (name_keys) maps to that person: "Noemie
-- Celik" and "CELIK Noémie" find "Noémie Çelik"; a folded name two roster people share links
-- nobody. Any other identity is its own person ('p' + 12 hex digits of its hash).
-- person_key is a dense integer for fast partitioning; it is rebuilt with the table.
CREATE OR REPLACE TABLE persons AS
WITH unique_keys AS (
    SELECT folded, min(person) AS person
    FROM name_keys
    GROUP BY folded
    HAVING count(DISTINCT person) = 1
),
labelled AS (
    SELECT i.ident_id, coalesce(l.person, k.person, 'p' || left(i.ident, 12)) AS person
    FROM identities AS i
    LEFT JOIN identity_links AS l ON l.ident = i.ident
    LEFT JOIN name_folds AS f ON f.ident = i.ident
    LEFT JOIN unique_keys AS k ON k.folded = f.folded
)
SELECT ident_id, person, CAST(dense_rank() OVER (ORDER BY person) AS INTEGER) AS person_key
FROM labelled;
