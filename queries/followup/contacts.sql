-- The follow-up log of one cohort (optionally one student), with whether each contact is the
-- student's latest and whether it leaves something open.
-- Grain: one row per contact, oldest first.
-- Parameters: $c (cohort id), $p (a pseudonym, or NULL for every student).
-- Open: the student's latest contact asked for a next step (next_date set) or nobody
-- answered (outcome no-answer).
SELECT followup_id, contact_date AS date, person AS student, tutor, channel, outcome,
       next_date AS next, note_id,
       row_number() OVER (PARTITION BY person ORDER BY contact_date DESC, followup_id DESC) = 1
           AS latest,
       (row_number() OVER (PARTITION BY person ORDER BY contact_date DESC, followup_id DESC) = 1
        AND (next_date IS NOT NULL OR outcome = 'no-answer')) AS open
FROM followups
WHERE cohort_id = $c AND ($p IS NULL OR person = $p)
ORDER BY contact_date, followup_id;
