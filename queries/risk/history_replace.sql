-- Replace one week's stored risk levels with the rows just judged (frame _risk_rows:
-- student, level, rules, red_rules, reasons_fr, reasons_en) and record the week's stamps.
-- Grain: one statement per table; the last returns nothing.
-- Parameters: $cohort (cohort id), $week (Monday), $holiday (holiday week?), $stamp,
--   $inputs_hash.
DELETE FROM risk_history WHERE cohort_id = $cohort AND week_start = $week;
INSERT INTO risk_history (cohort_id, week_start, student, level, rules, red_rules,
                          reasons_fr, reasons_en)
SELECT $cohort, $week, student, level, rules, red_rules, reasons_fr, reasons_en
FROM _risk_rows;
DELETE FROM risk_history_weeks WHERE cohort_id = $cohort AND week_start = $week;
INSERT INTO risk_history_weeks VALUES ($cohort, $week, $holiday, $stamp, $inputs_hash,
                                       now()::TIMESTAMP);
