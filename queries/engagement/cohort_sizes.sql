-- How many students each cohort has (roster students, else everyone with events).
-- Grain: one row per cohort with students (cohort_id, students).
-- Parameters: none.
SELECT cohort_id, count(*) AS students FROM cohort_students GROUP BY cohort_id;
