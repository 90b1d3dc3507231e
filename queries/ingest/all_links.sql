-- Every identity link: which person an identity is attributed to.
-- Grain: one row per linked identity.
-- Parameters: none.
SELECT ident, person FROM identity_links;
