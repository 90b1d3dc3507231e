-- The people some identities are attributed to (by a roster or an alias file).
-- Grain: one row per identity among $idents that has a link.
-- Parameters: $idents (a list of identity hashes).
SELECT ident, person FROM identity_links WHERE list_contains($idents, ident);
