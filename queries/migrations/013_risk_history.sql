-- Risk levels over time, stored (m2if_analytics.risk.history): every student's level, the
-- rules that fired and the reasons (French and English) at each complete week, so reports
-- read them instead of judging 36 weeks again at every render.
-- Grain: risk_history, one row per cohort × week × student; risk_history_weeks, one row per
--   cohort × week with the stamps that say whether the week's rows are still current.
-- Parameters: none.
CREATE TABLE risk_history (
    cohort_id VARCHAR NOT NULL,
    week_start DATE NOT NULL,
    student VARCHAR NOT NULL,
    level VARCHAR NOT NULL,
    rules VARCHAR[] NOT NULL,
    reasons_fr VARCHAR NOT NULL,
    reasons_en VARCHAR NOT NULL
);
CREATE TABLE risk_history_weeks (
    cohort_id VARCHAR NOT NULL,
    week_start DATE NOT NULL,
    holiday BOOLEAN NOT NULL,
    stamp VARCHAR NOT NULL,        -- the pipeline stamp and rule settings checked against
    inputs_hash VARCHAR NOT NULL,  -- the rules' input frames the rows were judged on
    judged_at TIMESTAMP NOT NULL
);
