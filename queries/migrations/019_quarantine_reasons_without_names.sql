-- Schema version 19: quarantine reasons written before version 19 quoted the cell of a follow-up
-- import, alias file or roster row that was not a pseudonym, a tutor code, a roster person or
-- a user id: a name or an e-mail typed in the wrong column. The quoted cell is replaced by its
-- length, as the readers now write it ("text (21 characters)"); a cell that is plainly a
-- number or a date stays quoted. A cell Python quoted with double quotes (it held an
-- apostrophe) is found by its double quotes.
-- Grain: quarantine keeps its rows; only the reason of the matching ones changes.
-- Parameters: none.
CREATE OR REPLACE TEMP TABLE _old_reasons AS
SELECT rowid AS r,
       CASE WHEN regexp_matches(reason, '^(no roster person is |student |tutor |user id )?''')
            THEN regexp_extract(reason, '^(.*?)''([^'']*)''(.*)$', ['pre', 'val', 'post'])
            ELSE regexp_extract(reason, '^(.*?)"([^"]*)"(.*)$', ['pre', 'val', 'post'])
       END AS p
FROM quarantine
WHERE regexp_matches(reason,
    '^(student|tutor|user id) [''"].*[''"] (is not a pseudonym|should be a code|is not a Moodle user id)'
    || '|^no roster person is [''"]|^[''"].*[''"] names several roster people');

UPDATE quarantine SET reason = o.p.pre || 'text (' || length(o.p.val) || ' characters)' || o.p.post
FROM _old_reasons AS o
WHERE quarantine.rowid = o.r AND NOT regexp_full_match(o.p.val, '[0-9 .,:+-]{1,20}');

DROP TABLE _old_reasons;
