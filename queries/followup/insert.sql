-- Record contacts from the registered frame _followup_df, except those already recorded
-- (same student, date, tutor, channel, outcome and next step).
-- Grain: one row of followups per new contact.
-- Parameters: $file (the imported file's id, NULL for m2if followup add), $at (UTC time).
INSERT INTO followups
SELECT nextval('followup_id_seq'), f.person, f.cohort_id, f.contact_date, f.tutor, f.channel,
       f.outcome, f.next_date, f.note_id, $file, $at
FROM _followup_df AS f
WHERE NOT EXISTS (
    SELECT 1 FROM followups AS o
    WHERE o.person = f.person AND o.contact_date = f.contact_date AND o.tutor = f.tutor
      AND o.channel = f.channel AND o.outcome = f.outcome
      AND o.next_date IS NOT DISTINCT FROM f.next_date);
SELECT count(*) FROM followups WHERE recorded_at = $at;
