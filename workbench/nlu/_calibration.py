"""Calibrated confidence and the out-of-scope threshold, learnt from held-out folds of the data.

A linear SVM's top score is a good out-of-scope signal but not a probability. Folds of the
training data are held out in turn; a logistic curve fitted to (top score, was the prediction
right?) turns any score into the probability that the prediction is right (Platt scaling), and
the threshold is the confidence below which only ``REJECT_SHARE`` of the held-out *correct*
predictions fall: out-of-scope text scores lower than anything the bot was taught.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = [
    "MIN_THRESHOLD_FUSED",
    "REJECT_SHARE",
    "REJECT_SHARE_WITH_NONE",
    "Calibration",
    "assign_folds",
    "fit_calibration",
]

REJECT_SHARE = 0.025
"""Share of held-out correct predictions that the calibrated threshold turns into ``none``: on
CLINC150 validation, bots of 5, 10 and 20 examples per intent (no ``none`` examples) lose 1.9
to 3.0 points of in-scope accuracy to rejection and reject 50 to 70% of out-of-scope messages."""
REJECT_SHARE_WITH_NONE = 0.01
"""The same share for a bot with ``none`` examples: its ``none`` class already turns away what
looks like them, so the threshold only has to catch the rest. CLINC150 train + oos_train scored
on val + oos_val, in-scope accuracy / out-of-scope recall at 0.01 and at 0.025: default engine
93.9% / 72% and 92.9% / 87%, TF-IDF alone 92.8% / 63% and 91.8% / 76%, embedding engine
95.4% / 77% and 94.5% / 83%. For every engine 0.01 answers the most messages right (default
93.2% against 92.7%; 0.015 lies between), and so it does for small bots with a few ``none``
examples (default engine, 10 or 20 examples per intent plus 10, 25 or 100 ``none``: 0.6-1.3
points more; out-of-scope recall 60-76% against 70-84%). Which share is best depends on how
much of a bot's traffic is out of scope: val + oos_val is 3% out of scope."""
FALLBACK_SCORE = -0.5
"""Raw SVM score used as the threshold when there is too little held-out data to calibrate."""
MIN_CORRECT = 20
MIN_THRESHOLD = 0.35
"""The calibrated threshold is never lower (with little data the quantile alone can be 0). It
was 0.5 ("more likely wrong than right is no answer"), but with 5 examples per intent a third
of the right answers score below 0.5: rejecting them cost 8 points of in-scope accuracy."""
MIN_THRESHOLD_FUSED = 0.25
"""The same floor for the default engine (``_intent_training``), whose confidence also carries
the semantic support (``_semantic_support``), so out-of-scope text scores lower there than the
linear scores alone put it. With 5 examples per intent (CLINC150 val + oos_val, 2 seeds) the
quantile falls below any floor: 0.25 rejects 53-62% of out-of-scope messages for 1.4-1.7 points
of in-scope accuracy, 0.3 61-69% for 2.1-2.4 points, 0.4 79-85% for 3.9-4.5 points (over the 3
points the few-shot rule allows). Before the semantic support the floor was 0.4."""


@dataclass(frozen=True)
class Calibration:
    """``confidence = 1 / (1 + exp(-(slope * score + offset)))``; ``threshold`` is a confidence."""

    slope: float = 2.0
    offset: float = 1.0
    threshold: float = 0.5

    def confidence(self, scores: npt.NDArray[np.floating]) -> npt.NDArray[np.float64]:
        z = np.clip(self.slope * scores.astype(np.float64) + self.offset, -30.0, 30.0)
        return np.asarray(1.0 / (1.0 + np.exp(-z)))

    def confidence_list(self, scores: list[float]) -> list[float]:
        """:meth:`confidence` of a few scores in plain Python (a numpy call costs about a
        microsecond, more than this whole loop for a bot with ten intents)."""
        slope, offset, exp = self.slope, self.offset, math.exp
        result = []
        for score in scores:
            z = slope * score + offset
            z = -30.0 if z < -30.0 else 30.0 if z > 30.0 else z
            result.append(1.0 / (1.0 + exp(-z)))
        return result

    def of(self, score: float) -> float:
        z = max(-30.0, min(30.0, self.slope * score + self.offset))
        return 1.0 / (1.0 + math.exp(-z))


def assign_folds(labels: npt.NDArray[np.int64], k: int, seed: int = 0) -> npt.NDArray[np.int64]:
    """A fold in ``range(k)`` per example, stratified; classes with one example get -1 (never
    held out, so every held-out example's class is in its fold's training data)."""
    rng = np.random.default_rng(seed)
    folds = np.full(len(labels), -1, dtype=np.int64)
    offset = 0
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        if len(members) < 2:
            continue
        rng.shuffle(members)
        folds[members] = (np.arange(len(members)) + offset) % k
        offset += len(members)
    return folds


def _platt(scores: npt.NDArray[np.float64], correct: npt.NDArray[np.bool_]) -> tuple[float, float]:
    """Platt's logistic fit with his smoothed targets, by Newton's method with backtracking
    (Lin, Lin and Weng 2007): a full Newton step from ``(2, 0)`` overshoots when the scores sit
    far from 0 (the fused engine's top scores with 10 examples per intent: all below -0.5, and
    plain Newton ran off to a slope of 1e8, so every message was rejected)."""
    positives = float(correct.sum())
    negatives = float(len(correct) - positives)
    target = np.where(correct, (positives + 1) / (positives + 2), 1 / (negatives + 2))

    def loss(a: float, b: float) -> float:
        z = a * scores + b  # -log likelihood, written to stay finite for any z
        return float(np.sum(np.logaddexp(0.0, z) - target * z))

    a, b = 2.0, 0.0
    current = loss(a, b)
    for _ in range(100):
        z = np.clip(a * scores + b, -30, 30)
        p = 1.0 / (1.0 + np.exp(-z))
        gradient = np.array([np.dot(p - target, scores), np.sum(p - target)])
        w = p * (1 - p) + 1e-9
        hessian = np.array(
            [[np.dot(w, scores * scores) + 1e-6, np.dot(w, scores)], [np.dot(w, scores), w.sum()]]
        )
        step = np.linalg.solve(hessian, gradient)
        size = 1.0
        while size > 1e-10:
            trial_a, trial_b = a - size * float(step[0]), b - size * float(step[1])
            trial = loss(trial_a, trial_b)
            if trial <= current + 1e-4 * size * float(gradient @ -step):
                break
            size /= 2
        else:
            break
        a, b, current = trial_a, trial_b, trial
        if abs(size * step).max() < 1e-7:
            break
    if not math.isfinite(a) or a <= 0:
        return 2.0, 1.0
    return a, b


def fit_calibration(
    top_scores: npt.NDArray[np.float64],
    factors: npt.NDArray[np.float64],
    correct: npt.NDArray[np.bool_],
    in_scope: npt.NDArray[np.bool_],
    reject_share: float = REJECT_SHARE,
    floor: float = MIN_THRESHOLD,
) -> Calibration:
    """Calibrate from held-out top scores; ``factors`` = what lexical support leaves of each
    confidence, ``correct`` = the top class was right, ``in_scope`` = not a ``none`` example;
    the threshold is never below ``floor``."""
    kept = correct & in_scope
    if len(correct) < MIN_CORRECT or kept.sum() < MIN_CORRECT or correct.all():
        slope, offset = 2.0, 1.0
        return Calibration(slope, offset, Calibration(slope, offset).of(FALLBACK_SCORE))
    slope, offset = _platt(top_scores.astype(np.float64), correct)
    calibration = Calibration(slope, offset)
    confidence = calibration.confidence(top_scores) * factors
    cut = float(np.quantile(confidence[kept], reject_share))
    return Calibration(slope, offset, round(max(cut, floor), 4))
