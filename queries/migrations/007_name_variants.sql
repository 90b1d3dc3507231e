-- Name variants: what lets "Noemie Celik" in a log find "Noémie Çelik" of the roster, and
-- "m2if identities" find the closest roster names, with no name stored.
-- Grain: name_folds one row per name identity (its folded form's keyed hash); name_keys one
--   row per folded name × roster person (a folded name two people share links nobody);
--   name_tokens one row per name identity × word of its folded form (keyed hashes).
-- Parameters: none.
CREATE TABLE name_folds (
    ident VARCHAR PRIMARY KEY,       -- identities.ident of a full name
    folded VARCHAR NOT NULL          -- keyed hash of fold_name(name): accents, case, order
);

CREATE TABLE name_keys (
    folded VARCHAR NOT NULL,         -- name_folds.folded of a roster name
    person VARCHAR NOT NULL,         -- the roster person (pseudonym)
    file_id INTEGER NOT NULL,        -- the roster file that said so
    PRIMARY KEY (folded, person)
);

CREATE TABLE name_tokens (
    ident VARCHAR NOT NULL,          -- identities.ident of a full name
    token VARCHAR NOT NULL,          -- keyed hash of one word of its folded form
    PRIMARY KEY (ident, token)
);
