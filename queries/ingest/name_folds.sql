-- Store the folded form and the words of newly seen full names (keyed hashes only).
-- Grain: name_folds one row per name identity; name_tokens one row per identity × word.
-- Parameters: none (reads _name_folds(ident, folded) and _name_tokens(ident, token), temp
--   tables of the names just hashed).
INSERT INTO name_folds
SELECT DISTINCT ident, folded FROM _name_folds
WHERE ident NOT IN (SELECT ident FROM name_folds);

INSERT INTO name_tokens
SELECT DISTINCT t.ident, t.token FROM _name_tokens AS t
WHERE NOT EXISTS (SELECT 1 FROM name_tokens AS n WHERE n.ident = t.ident AND n.token = t.token);
