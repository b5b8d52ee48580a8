"""Training the intent classifier: the final model and the calibration folds, in one pool.

Folds of the training data are held out in turn (at most ``FOLDS``, until ``MIN_HELD_OUT``
examples were scored; a fold trains on at most ``MAX_FOLD_TRAIN`` examples so training time
stays bounded); their predictions calibrate the confidence and choose the threshold.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from workbench.nlu._calibration import REJECT_SHARE, Calibration, assign_folds, fit_calibration
from workbench.nlu._classifier import NONE, IntentClassifier, relative
from workbench.nlu._embed import EmbeddingFeaturizer
from workbench.nlu._features import Featurizer
from workbench.nlu._linear import LinearModel
from workbench.nlu._support import Support, factor, full_support
from workbench.nlu._svm import fit_many

__all__ = ["fit_intents"]

FOLDS = 5
MIN_HELD_OUT = 2500
MAX_FOLD_TRAIN = 4000
SVM_C = 1.0
Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]


def fit_intents(
    texts: Sequence[str],
    labels: Sequence[str],
    reject_share: float = REJECT_SHARE,
    embeddings: bool = False,
) -> IntentClassifier:
    """Train on ``texts`` and their intents; ``embeddings`` adds sentence embeddings."""
    classes = sorted(set(labels))
    index = {name: i for i, name in enumerate(classes)}
    y = np.array([index[label] for label in labels], dtype=np.int64)
    featurizer: Featurizer
    if embeddings:
        featurizer, features = EmbeddingFeaturizer.fit_embedded(texts)
    else:
        featurizer, features = Featurizer.fit_transform(texts)
    words = features[:, : featurizer.word_size].tocsr()
    full = full_support(len([c for c in classes if c != NONE]))
    support = Support.of_rows(words, y, full)
    if len(classes) < 2:
        return IntentClassifier(classes, featurizer, None, Calibration(1.0, 0.0, 0.5), support)
    folds = assign_folds(y, FOLDS)
    trains = _fold_trains(folds)
    problems = [(features, y)] + [(features[train], y[train]) for train in trains]
    final, *fold_models = fit_many(problems, len(classes), SVM_C)
    scores, factors, correct, in_scope = _held_out(
        fold_models, trains, folds, featurizer, texts, features, y, index.get(NONE, -1), full
    )
    calibration = fit_calibration(scores, factors, correct, in_scope, reject_share)
    return IntentClassifier(classes, featurizer, final, calibration, support)


def _fold_trains(folds: Ints) -> list[Ints]:
    """The training rows of each calibration fold."""
    fold_size = max(1, int((folds >= 0).sum()) // FOLDS)
    n_folds = min(FOLDS, max(1, math.ceil(MIN_HELD_OUT / fold_size)))
    rng = np.random.default_rng(0)
    trains = []
    for fold in range(n_folds):
        train = np.flatnonzero(folds != fold)
        if len(train) > MAX_FOLD_TRAIN:
            train = np.sort(rng.choice(train, MAX_FOLD_TRAIN, replace=False))
        trains.append(train)
    return trains


def _held_out(
    models: Sequence[LinearModel],
    trains: Sequence[Ints],
    folds: Ints,
    featurizer: Featurizer,
    texts: Sequence[str],
    features: sp.csr_matrix,
    y: Ints,
    none: int,
    full: float,
) -> tuple[Floats, Floats, Bools, Bools]:
    """Top scores, support factors, correctness and in-scope flags of the held-out examples,
    each featurised as a new message would be with its fold's vocabulary (those predicted
    ``none`` are left out: they are rejected anyway)."""
    scores, factors, correct, in_scope = [], [], [], []
    word_size = featurizer.word_size
    for fold, (model, train) in enumerate(zip(models, trains, strict=True)):
        held = np.flatnonzero(folds == fold)
        seen = np.zeros(featurizer.tfidf_size, dtype=np.bool_)
        seen[np.unique(features[train][:, : featurizer.tfidf_size].indices)] = True
        rows = featurizer.as_unseen(features[held], seen)
        coverage = np.array([featurizer.coverage_among(texts[i], seen) for i in held.tolist()])
        decision = relative(model.decision(rows), none)
        predicted = decision.argmax(axis=1)
        keep = predicted != none
        fold_support = Support.of_rows(features[train][:, :word_size].tocsr(), y[train], full)
        lexical = fold_support.of_matrix(rows[:, :word_size].tocsr(), predicted, coverage)
        scores.append(decision.max(axis=1)[keep])
        factors.append(factor(lexical, full)[keep])
        correct.append((predicted == y[held])[keep])
        in_scope.append(y[held][keep] != none)
    return (
        np.concatenate(scores).astype(np.float64),
        np.concatenate(factors),
        np.concatenate(correct),
        np.concatenate(in_scope),
    )
