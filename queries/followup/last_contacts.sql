-- Each student's latest contact in the follow-up log up to a day.
-- Grain: one row per student with at least one contact on or before $as_of.
-- Parameters: $c (cohort id), $as_of (the last day counted, inclusive).
SELECT person AS student, contact_date AS last_contact, channel AS last_channel,
       outcome AS last_outcome, next_date, count(*) OVER (PARTITION BY person) AS contacts
FROM followups
WHERE cohort_id = $c AND contact_date <= $as_of
QUALIFY row_number() OVER (PARTITION BY person ORDER BY contact_date DESC, followup_id DESC) = 1
ORDER BY person;
