-- The configuration as tables: cohorts, calendar weeks, teaching units, the programme's
-- rules (one row) and each cohort's mission-letter deadline.
-- Grain: cfg_cohorts one row per cohort; cfg_calendar_weeks one row per cohort × programme
--   week; cfg_units one row per UE (configuration order in position); cfg_programme one row;
--   cfg_cohort_rules one row per cohort;
--   cfg_unit_courses one row per platform course a UE declares ([[units]] courses);
--   cfg_activity_kinds one row per [activity_kinds] entry (component in lower case → kind).
-- Parameters: none (reads the frames m2if_analytics.warehouse.config_tables registers:
--   _cfg_cohorts_df, _cfg_calendar_df, _cfg_units_df, _cfg_programme_df, _cfg_cohort_rules_df,
--   _cfg_unit_courses_df, _cfg_activity_kinds_df).
CREATE OR REPLACE TABLE cfg_cohorts AS SELECT * FROM _cfg_cohorts_df;
CREATE OR REPLACE TABLE cfg_calendar_weeks AS SELECT * FROM _cfg_calendar_df;
CREATE OR REPLACE TABLE cfg_units AS SELECT * FROM _cfg_units_df;
CREATE OR REPLACE TABLE cfg_programme AS SELECT * FROM _cfg_programme_df;
CREATE OR REPLACE TABLE cfg_cohort_rules AS SELECT * FROM _cfg_cohort_rules_df;
CREATE OR REPLACE TABLE cfg_unit_courses AS SELECT * FROM _cfg_unit_courses_df;
CREATE OR REPLACE TABLE cfg_activity_kinds AS SELECT * FROM _cfg_activity_kinds_df;
