"""The risk model: a sign-constrained logistic regression trained and validated on OULAD.

Owns: features at a cutoff day from data strictly before it (:mod:`.features`), the estimator
(:mod:`.estimator`), training and the OULAD backtest (:mod:`.backtest`), and scoring a
programme cohort beside the rules (:mod:`.score`). docs/model.md describes it.
"""
