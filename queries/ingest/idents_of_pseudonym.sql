-- The identities behind a pseudonym that no roster attributes (an unmatched person).
-- Grain: one row per identity.
-- Parameters: $p (the pseudonym, 'p' + 12 hex digits).
SELECT ident FROM identities WHERE 'p' || left(ident, 12) = $p;
