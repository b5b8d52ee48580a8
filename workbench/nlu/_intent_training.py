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
from workbench.nlu._support import Support, factor
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
    support = Support.of_rows(words, y)
    if len(classes) < 2:
        return IntentClassifier(classes, featurizer, None, Calibration(1.0, 0.0, 0.5), support)
    folds = assign_folds(y, FOLDS)
    trains = _fold_trains(folds)
    problems = [(features, y)] + [(features[train], y[train]) for train in trains]
    final, *fold_models = fit_many(problems, len(classes), SVM_C)
    coverage = np.array([featurizer.coverage(t) for t in texts])
    scores, factors, correct, in_scope = _held_out(
        fold_models, trains, folds, features, words, y, coverage, index.get(NONE, -1)
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
    features: sp.csr_matrix,
    words: sp.csr_matrix,
    y: Ints,
    coverage: npt.NDArray[np.float64],
    none: int,
) -> tuple[Floats, Floats, Bools, Bools]:
    """Top scores, support factors, correctness and in-scope flags of the held-out examples
    (those predicted ``none`` are left out: they are rejected anyway)."""
    scores, factors, correct, in_scope = [], [], [], []
    for fold, (model, train) in enumerate(zip(models, trains, strict=True)):
        held = np.flatnonzero(folds == fold)
        decision = relative(model.decision(features[held]), none)
        predicted = decision.argmax(axis=1)
        keep = predicted != none
        lexical = Support.of_rows(words[train], y[train]).of_matrix(
            words[held], predicted, coverage[held]
        )
        scores.append(decision.max(axis=1)[keep])
        factors.append(factor(lexical)[keep])
        correct.append((predicted == y[held])[keep])
        in_scope.append(y[held][keep] != none)
    return (
        np.concatenate(scores).astype(np.float64),
        np.concatenate(factors),
        np.concatenate(correct),
        np.concatenate(in_scope),
    )
