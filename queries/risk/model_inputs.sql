-- The frames the model's features read (features.sql), as views of an in-memory database.
-- Grain: _f_students one row per student × presentation; _f_activity one row per student ×
--   day; _f_assessments one row per assessment; _f_submissions one row per student ×
--   assessment (see m2if_analytics.risk.model.features for the columns).
-- Parameters: none (reads the frames registered as _f_students_df, _f_activity_df,
--   _f_assessments_df, _f_submissions_df).
CREATE TEMP VIEW _f_students AS SELECT * FROM _f_students_df;
CREATE TEMP VIEW _f_activity AS SELECT * FROM _f_activity_df;
CREATE TEMP VIEW _f_assessments AS SELECT * FROM _f_assessments_df;
CREATE TEMP VIEW _f_submissions AS SELECT * FROM _f_submissions_df;
