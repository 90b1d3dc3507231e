-- Schema version 3: the OULAD tables (Open University Learning Analytics Dataset,
--   Kuzilek, Hlosta, Zdrahal 2017, Scientific Data 4:170171, CC BY 4.0), used to train and
--   validate the risk model (m2if_analytics.oulad, m2if_analytics.model).
-- Grain: oulad_courses one row per presentation; oulad_assessments one row per assessment;
--   oulad_vle one row per VLE site; oulad_students one row per student and presentation
--   (studentInfo); oulad_registrations one row per student and presentation;
--   oulad_student_assessments one row per student and assessment; oulad_clicks one row per
--   student, presentation, VLE site and day, its clicks summed over every source row of that
--   (student, site, day) — exact duplicate source rows included (see docs/model.md).
-- Parameters: none.
-- Privacy: id_student never enters a table; `student` is the pseudonym ('p' + 12 hex digits)
--   of the keyed hash of 'oulad:<id_student>'. `presentation` is '<code_module>_<code_presentation>'
--   (e.g. AAA_2013J). Days are relative to the presentation's start (OULAD has no clock times).
CREATE TABLE oulad_courses (
    presentation VARCHAR PRIMARY KEY,
    code_module VARCHAR NOT NULL,
    code_presentation VARCHAR NOT NULL,
    length_days INTEGER NOT NULL,     -- module_presentation_length
    file_id INTEGER NOT NULL
);

CREATE TABLE oulad_assessments (
    id_assessment BIGINT PRIMARY KEY,
    presentation VARCHAR NOT NULL,
    code_module VARCHAR NOT NULL,
    code_presentation VARCHAR NOT NULL,
    assessment_type VARCHAR NOT NULL, -- TMA | CMA | Exam
    due_day INTEGER,                  -- 'date'; empty for most final exams
    weight DOUBLE,
    file_id INTEGER NOT NULL
);

CREATE TABLE oulad_vle (
    id_site BIGINT PRIMARY KEY,
    presentation VARCHAR NOT NULL,
    code_module VARCHAR NOT NULL,
    code_presentation VARCHAR NOT NULL,
    activity_type VARCHAR NOT NULL,
    week_from INTEGER,
    week_to INTEGER,
    file_id INTEGER NOT NULL
);

CREATE TABLE oulad_students (
    presentation VARCHAR NOT NULL,
    student VARCHAR NOT NULL,
    code_module VARCHAR NOT NULL,
    code_presentation VARCHAR NOT NULL,
    gender VARCHAR,
    region VARCHAR,
    highest_education VARCHAR,
    imd_band VARCHAR,
    age_band VARCHAR,
    num_of_prev_attempts INTEGER,
    studied_credits INTEGER,
    disability VARCHAR,
    final_result VARCHAR NOT NULL,    -- Pass | Distinction | Fail | Withdrawn
    file_id INTEGER NOT NULL,
    PRIMARY KEY (presentation, student)
);

CREATE TABLE oulad_registrations (
    presentation VARCHAR NOT NULL,
    student VARCHAR NOT NULL,
    code_module VARCHAR NOT NULL,
    code_presentation VARCHAR NOT NULL,
    date_registration INTEGER,        -- day relative to the start (negative: before it)
    date_unregistration INTEGER,      -- empty unless the student unregistered
    file_id INTEGER NOT NULL,
    PRIMARY KEY (presentation, student)
);

CREATE TABLE oulad_student_assessments (
    id_assessment BIGINT NOT NULL,
    student VARCHAR NOT NULL,
    presentation VARCHAR NOT NULL,    -- from oulad_assessments
    date_submitted INTEGER NOT NULL,
    is_banked BOOLEAN NOT NULL,
    score DOUBLE,                     -- 0-100; empty when not marked
    file_id INTEGER NOT NULL,
    PRIMARY KEY (id_assessment, student)
);

CREATE TABLE oulad_clicks (
    presentation VARCHAR NOT NULL,
    student VARCHAR NOT NULL,
    id_site BIGINT NOT NULL,
    day INTEGER NOT NULL,
    clicks BIGINT NOT NULL,           -- sum of sum_click over the source rows
    source_rows INTEGER NOT NULL,     -- how many source rows were summed
    file_id INTEGER NOT NULL
    -- (presentation, student, id_site, day) is unique: ingestion anti-joins on it; no index,
    -- so that the official 10-million-row studentVle.csv loads fast.
);
