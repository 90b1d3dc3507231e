-- Erase one person (right to erasure): every row about them in every raw table, their roster
-- rows, identity links and folded names, and the identities (keyed hashes) behind them.
-- Grain: one DELETE or UPDATE per table (the caller counts each statement's rows, by table).
-- Parameters: $p (the person's pseudonym). Reads the derived table persons, which must be
--   current (every identity the person's pseudonym stands for).
-- Another person's event that names this person (viewing their profile) stays, without the
-- name: related_ident_id becomes NULL. Quarantined rows name no person and stay.
-- tests/warehouse/test_forget.py checks that every table with an ident_id, ident or person
-- column is listed.
CREATE OR REPLACE TEMP TABLE _forget_idents AS
SELECT i.ident_id, i.ident
FROM identities AS i
WHERE i.ident_id IN (SELECT ident_id FROM persons WHERE person = $p)
   OR i.ident IN (SELECT ident FROM identity_links WHERE person = $p)
   OR 'p' || left(i.ident, 12) = $p;

DELETE FROM raw_events WHERE ident_id IN (SELECT ident_id FROM _forget_idents);
UPDATE raw_events SET related_ident_id = NULL
WHERE related_ident_id IN (SELECT ident_id FROM _forget_idents);
DELETE FROM grades WHERE ident_id IN (SELECT ident_id FROM _forget_idents);
DELETE FROM submissions WHERE ident_id IN (SELECT ident_id FROM _forget_idents);
DELETE FROM internship_days WHERE ident_id IN (SELECT ident_id FROM _forget_idents);
DELETE FROM mission_letters WHERE ident_id IN (SELECT ident_id FROM _forget_idents);
DELETE FROM milestones_done WHERE ident_id IN (SELECT ident_id FROM _forget_idents);
DELETE FROM forum_posts WHERE ident_id IN (SELECT ident_id FROM _forget_idents);
DELETE FROM roster WHERE person = $p;
DELETE FROM risk_history WHERE student = $p;
DELETE FROM followups WHERE person = $p;
DELETE FROM name_keys WHERE person = $p;
DELETE FROM identity_links WHERE person = $p
    OR ident IN (SELECT ident FROM _forget_idents);
DELETE FROM name_folds WHERE ident IN (SELECT ident FROM _forget_idents);
DELETE FROM name_tokens WHERE ident IN (SELECT ident FROM _forget_idents);
DELETE FROM identities WHERE ident_id IN (SELECT ident_id FROM _forget_idents);
