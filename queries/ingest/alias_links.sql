-- Attribute identities to roster people, as an alias file says.
-- Grain: identity_links one row per identity (replaced when it existed).
-- Parameters: $name (the alias file's base name, kept as the link's origin). Reads the
--   registered frame _links_df (ident, person).
INSERT OR REPLACE INTO identity_links SELECT ident, person, $name FROM _links_df;
