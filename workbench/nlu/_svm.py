"""One-vs-rest linear SVMs (liblinear), trained one after the other.

liblinear releases the GIL, and training groups of classes in threads took two thirds of the
time on CLINC150 with 2 cores, but scikit-learn's liblinear draws its coordinate order from one
random generator shared by the whole process (``mt_rand`` in ``newrand.h``), reseeded by every
fit: fits running at once interleaved their draws, so the same data trained a slightly different
model each time (and the generator was written by two threads at once). Training is
reproducible instead.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning
from sklearn.svm import LinearSVC

from workbench.nlu._linear import Floats, LinearModel

__all__ = ["balanced_weights", "fit_many"]

Ints = npt.NDArray[np.int64]


def balanced_weights(labels: Ints, n_classes: int) -> npt.NDArray[np.float64]:
    """Per class ``n / (classes * n_class)`` (scikit-learn's ``"balanced"``): a class with few
    examples weighs as much as one with many, as it will in use (BANKING77 trains on 35 to 187
    examples per intent and tests on 40 of each: +0.4 points on a balanced validation split)."""
    counts = np.bincount(labels, minlength=n_classes).astype(np.float64)
    present = counts > 0
    weights = np.ones(n_classes)
    weights[present] = len(labels) / (present.sum() * counts[present])
    return weights


def _fit(
    features: sp.csr_matrix, labels: Ints, n_classes: int, c: float
) -> tuple[Ints, Floats, Floats]:
    """One-vs-rest over the classes in ``labels``: (classes, weights (classes, features), bias).

    Each class's positives weigh its balanced weight, as liblinear's one-vs-rest applies
    ``class_weight``."""
    weights = balanced_weights(labels, n_classes)
    class_weight = {int(g): float(weights[g]) for g in np.unique(labels)}
    svm = LinearSVC(C=c, tol=1e-2, max_iter=1000, random_state=0, class_weight=class_weight)
    svm.fit(features, labels)
    classes = np.asarray(svm.classes_)
    coef = np.asarray(svm.coef_, dtype=np.float32)
    bias = np.asarray(svm.intercept_, dtype=np.float32)
    if len(classes) == 2:  # binary: liblinear gives one row, for the larger label
        return classes, np.vstack([-coef, coef]), np.concatenate([-bias, bias])
    return classes, coef, bias


def fit_many(
    problems: Sequence[tuple[sp.csr_matrix, Ints]], n_classes: int, c: float = 1.0
) -> list[LinearModel]:
    """Fit one model per ``(features, labels)`` problem.

    Labels are class indices in ``range(n_classes)``; a class missing from a problem's labels
    gets weights that never win (zero weights, a very low bias).
    """
    models_w = [np.zeros((n_classes, p[0].shape[1]), dtype=np.float32) for p in problems]
    models_b = [np.full(n_classes, -10.0, dtype=np.float32) for _ in problems]
    # an SVM stopped at max_iter is still a good model here (the filter is restored afterwards)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for index, (features, labels) in enumerate(problems):
            present = np.unique(labels)
            if len(present) == 1:  # one class: it always wins, with a neutral score
                models_b[index][present[0]] = 0.0
            elif len(present) >= 2:
                classes, coef, bias = _fit(features, labels, n_classes, c)
                models_w[index][classes] = coef
                models_b[index][classes] = bias
    return [
        LinearModel(np.ascontiguousarray(w.T), b) for w, b in zip(models_w, models_b, strict=True)
    ]
