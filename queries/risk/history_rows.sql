-- The stored risk levels of a cohort up to a week: the rules that fired (red_rules: those at
-- red), reasons in both languages.
-- Grain: one row per student × complete week up to $until.
-- Parameters: $cohort (cohort id), $until (Monday of the last week wanted).
SELECT h.student, h.week_start, w.holiday, h.level, h.rules, h.red_rules, h.reasons_fr,
       h.reasons_en
FROM risk_history AS h
JOIN risk_history_weeks AS w ON w.cohort_id = h.cohort_id AND w.week_start = h.week_start
WHERE h.cohort_id = $cohort AND h.week_start <= $until
ORDER BY h.week_start, h.student;
