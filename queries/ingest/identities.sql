-- Register the hashed identities of one file and map each source value to its surrogate.
-- Grain: identities gains one row per new ident; _idmap one row per distinct source value.
-- Parameters: none. Input: temp table _idents (k, ident) built in Python, where k is the
--   source value (a user id or a normalised name) and ident its keyed hash; hashing happens
--   once per distinct value, never per row.
INSERT INTO identities
SELECT nextval('ident_id_seq'), n.ident
FROM (SELECT DISTINCT ident FROM _idents) AS n
WHERE NOT EXISTS (SELECT 1 FROM identities AS i WHERE i.ident = n.ident);

CREATE OR REPLACE TEMP TABLE _idmap AS
SELECT d.k, i.ident_id
FROM _idents AS d
JOIN identities AS i ON i.ident = d.ident;
