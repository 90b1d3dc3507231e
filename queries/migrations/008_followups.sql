-- The follow-up log: who contacted which student, when, how, and what came of it.
-- Grain: one row per recorded contact (m2if followup add, or a row of an imported file).
-- Parameters: none.
-- No free text: the tutor is a code (initials, a staff id), the channel and outcome are
-- fixed words, and an optional note lives outside the warehouse (note_id points to it).
CREATE SEQUENCE followup_id_seq START 1;

CREATE TABLE followups (
    followup_id BIGINT PRIMARY KEY,
    person VARCHAR NOT NULL,         -- the student's pseudonym
    cohort_id VARCHAR NOT NULL,
    contact_date DATE NOT NULL,
    tutor VARCHAR NOT NULL,          -- a tutor code, not a name
    channel VARCHAR NOT NULL,        -- call | mail | meeting | message
    outcome VARCHAR NOT NULL,        -- reached | no-answer | plan | referred
    next_date DATE,                  -- the next step agreed, if any
    note_id VARCHAR,                 -- the note's row in the side file beside the mapping
    file_id INTEGER,                 -- the imported file (NULL: added by hand)
    recorded_at TIMESTAMPTZ NOT NULL
);
