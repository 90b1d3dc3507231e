-- The model's generic inputs as views over the OULAD tables (see docs/model.md).
-- Grain: _f_students one row per student and presentation (registration days, label);
--   _f_activity one row per student, presentation and day with clicks (sites summed);
--   _f_assessments one row per assessment with its due day (exams without a date excluded);
--   _f_submissions one row per student and submitted assessment (day, score 0-100).
-- Parameters: none. The same views can be built from any platform's frames
--   (m2if_analytics.model_features.features_from_frames), so features.sql serves both.
-- label: 1 when final_result is Fail or Withdrawn, 0 for Pass or Distinction.
CREATE OR REPLACE TEMP VIEW _f_students AS
SELECT
    s.presentation,
    s.student,
    r.date_registration AS registered_day,
    r.date_unregistration AS unregistered_day,
    CAST(s.final_result IN ('Fail', 'Withdrawn') AS INTEGER) AS label
FROM oulad_students AS s
LEFT JOIN oulad_registrations AS r USING (presentation, student);

CREATE OR REPLACE TEMP VIEW _f_activity AS
SELECT presentation, student, day, sum(clicks) AS clicks
FROM oulad_clicks
GROUP BY ALL;

CREATE OR REPLACE TEMP VIEW _f_assessments AS
SELECT presentation, CAST(id_assessment AS VARCHAR) AS assessment, due_day
FROM oulad_assessments
WHERE due_day IS NOT NULL;

CREATE OR REPLACE TEMP VIEW _f_submissions AS
SELECT presentation, student, CAST(id_assessment AS VARCHAR) AS assessment,
       date_submitted AS submitted_day, score
FROM oulad_student_assessments;
