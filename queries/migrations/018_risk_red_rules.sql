-- Schema version 18: the rules that fired at red, stored beside the rules that fired, so that
-- the rules' evaluation (m2if risk evaluate, the cohort comparison) reads the stored weeks
-- instead of judging every week of the cohort again at every run or render.
-- Grain: risk_history gains red_rules (the subset of rules that fired at red). The stored
--   weeks are cleared: they are derived (the next read judges them again, with red_rules),
--   and a week whose inputs did not change would otherwise keep its row without them.
-- Parameters: none.
DELETE FROM risk_history;
DELETE FROM risk_history_weeks;
ALTER TABLE risk_history ADD COLUMN red_rules VARCHAR[] DEFAULT [];
