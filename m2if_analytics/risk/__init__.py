"""At-risk students: the programme's rules, a level per student, reasons in words.

    import m2if_analytics.risk as risk
    table = risk.assess(ws)                        # last complete week, French
    table = risk.assess(ws, week="2027-W05", lang="en")

Owns: the rules (:mod:`.rules`, one pure function each, thresholds from ``[risk]``), what they
read (:mod:`.inputs`, filled from the warehouse by :mod:`.data` only), levels and the risk
table (:mod:`.levels`), a flag's status week to week (:mod:`.flags`), and the statistical
model shown beside the rules, never instead (:mod:`.model`: features, estimator, OULAD
backtest, scoring a cohort).

May import: ``followup`` (last contacts), ``programme``, ``engagement``, ``ingest`` (the
model trains on OULAD), ``warehouse``, ``i18n`` and the ground floor.
"""

from m2if_analytics.risk.flags import FLAG_COLUMNS, FlagState, flag_states, flags
from m2if_analytics.risk.history import levels_over_time
from m2if_analytics.risk.inputs import RiskInputs, RiskThresholds, RuleResult
from m2if_analytics.risk.levels import (
    LEVELS,
    StudentRisk,
    assess,
    evaluate,
    level_of,
    results_over_time,
    risk_table,
    student_risks,
)
from m2if_analytics.risk.rules import RULES

__all__ = ["FLAG_COLUMNS", "LEVELS", "RULES", "FlagState", "RiskInputs", "RiskThresholds",
           "RuleResult", "StudentRisk", "assess", "evaluate", "flag_states", "flags",
           "level_of", "levels_over_time", "results_over_time", "risk_table", "student_risks"]
