-- The roster people whose name folds to a given form (accents, case, word order ignored).
-- Grain: one row per person.
-- Parameters: $folded (keyed hash of the folded name).
SELECT DISTINCT person FROM name_keys WHERE folded = $folded;
