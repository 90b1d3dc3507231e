"""Logistic regression whose coefficients keep a documented sign (a scikit-learn estimator).

Each feature may only push the risk in the direction written beside it (more days since
the last activity can only raise it, more clicks can only lower it), so the "top features"
shown beside the rules always read the right way round, even when features are correlated
(an unconstrained fit gives some of them the opposite sign to compensate for others).
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin


class SignedLogisticRegression(ClassifierMixin, BaseEstimator):
    """L2-regularised logistic regression with ``sign[j] * coef_[j] >= 0``.

    Minimises the summed log-loss + ``||coef||² / (2 C)`` (scikit-learn's ``C``) with L-BFGS-B
    from zero: deterministic, no random state involved. ``signs``: +1 where a higher value
    may only raise the probability, -1 where it may only lower it.
    """

    def __init__(self, signs: tuple[float, ...] = (), C: float = 1.0, max_iter: int = 5000):
        self.signs = signs
        self.C = C
        self.max_iter = max_iter

    def fit(self, x: np.ndarray, y: np.ndarray) -> SignedLogisticRegression:
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        self.classes_ = np.array([0, 1])
        sign = np.asarray(self.signs, dtype=float)
        if sign.shape != (x.shape[1],):
            raise ValueError(f"{x.shape[1]} features but {len(sign)} signs")
        z = x * sign
        k = z.shape[1]

        def loss(p: np.ndarray) -> tuple[float, np.ndarray]:
            w, b = p[:k], p[k]
            s = z @ w + b
            g = expit(s) - y
            value = float(np.sum(np.logaddexp(0.0, s) - y * s) + w @ w / (2 * self.C))
            return value, np.concatenate([z.T @ g + w / self.C, [g.sum()]])

        result = minimize(loss, np.zeros(k + 1), jac=True, method="L-BFGS-B",
                          bounds=[(0.0, None)] * k + [(None, None)],
                          options={"maxiter": self.max_iter})
        self.coef_ = (result.x[:k] * sign)[np.newaxis, :]
        self.intercept_ = np.array([result.x[k]])
        self.n_iter_ = np.array([result.nit])
        return self

    def decision_function(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(x, dtype=float) @ self.coef_[0] + self.intercept_[0]

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        p = expit(self.decision_function(x))
        return np.column_stack([1 - p, p])

    def predict(self, x: np.ndarray) -> np.ndarray:
        return (self.decision_function(x) > 0).astype(int)
