-- Who follows each student: an optional roster column "tutor" (a tutor code such as a
-- teacher's initials, never a name), used to send each tutor the digest of their students.
-- Grain: roster stays one row per person × cohort.
-- Parameters: none.
ALTER TABLE roster ADD COLUMN tutor VARCHAR;
