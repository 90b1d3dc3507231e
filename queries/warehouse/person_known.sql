-- Whether a pseudonym stands for a person of the warehouse (derived table persons).
-- Grain: one row (identities: how many identities the person has).
-- Parameters: $p (the pseudonym).
SELECT count(*) AS identities FROM persons WHERE person = $p;
