-- Schema version 2: the programme tables (grades, deadlines, submissions, internship days,
--   mission letters) loaded by `m2if ingest grades|deadlines|submissions|internship`.
-- Grain: grades one row per student identity, cohort scope, UE and assessment;
--   deadlines one row per cohort and assignment; submissions one row per student identity,
--   assignment and submission instant; internship_days one row per student identity and
--   date; mission_letters one row per student identity and cohort scope.
-- Parameters: none.
-- Privacy: students are identities.ident_id surrogates (keyed hashes), resolved to persons
--   by queries/pipeline/10_persons.sql; no names, e-mails or user ids are stored.
-- cohort_id NULL on a student row = the row applies to every cohort the student belongs to.
-- *_key columns are the case- and accent-folded names used to match rows across files.
-- file_id and line say where each row came from (ingest_files, physical line, 1 = header).
CREATE TABLE grades (
    ident_id INTEGER NOT NULL,
    cohort_id VARCHAR,
    ue VARCHAR NOT NULL,             -- a configured unit code ([[units]] code)
    assessment VARCHAR NOT NULL,
    assessment_key VARCHAR NOT NULL,
    grade DOUBLE NOT NULL,           -- as written, on `scale`
    scale DOUBLE NOT NULL,
    grade_on_20 DOUBLE NOT NULL,     -- grade × 20 / scale
    weight DOUBLE NOT NULL,          -- weight of the assessment within its UE
    graded_on DATE,                  -- NULL: counts whatever the as-of date
    file_id INTEGER NOT NULL,
    line BIGINT NOT NULL
);

CREATE TABLE deadlines (
    cohort_id VARCHAR NOT NULL,
    assignment VARCHAR NOT NULL,
    assignment_key VARCHAR NOT NULL,
    ue VARCHAR,                      -- a configured unit code, or NULL
    due TIMESTAMPTZ NOT NULL,        -- UTC instant of the local due date-time
    cmid BIGINT,                     -- Moodle course module id: matches submission events
    file_id INTEGER NOT NULL,
    line BIGINT NOT NULL
);

CREATE TABLE submissions (
    ident_id INTEGER NOT NULL,
    cohort_id VARCHAR,
    assignment VARCHAR NOT NULL,
    assignment_key VARCHAR NOT NULL, -- matches deadlines.assignment_key, or a cmid
    submitted_at TIMESTAMPTZ NOT NULL,
    file_id INTEGER NOT NULL,
    line BIGINT NOT NULL
);

CREATE TABLE internship_days (
    ident_id INTEGER NOT NULL,
    cohort_id VARCHAR,
    day DATE NOT NULL,
    days DOUBLE NOT NULL,            -- 0, 0.5 or 1
    file_id INTEGER NOT NULL,
    line BIGINT NOT NULL
);

CREATE TABLE mission_letters (
    ident_id INTEGER NOT NULL,
    cohort_id VARCHAR,
    validated_on DATE,               -- NULL: listed, not validated yet
    file_id INTEGER NOT NULL,
    line BIGINT NOT NULL
);
