"""The intent classifier at prediction time: features, linear scores, calibrated confidence.

The confidence of the best intent is its calibrated probability of being right (see
``_calibration``) scaled by the message's lexical support (see ``_support``) and, in the engines
with sentence vectors, its semantic support (see ``_semantic_support``); below the threshold
the answer is ``none``, and so it is when the ``none`` class (examples of what the bot does not
handle) wins. With a single intent there is nothing to tell apart: its score is the support
alone. When the bot has a ``none`` class, scores are taken relative to its score (see
:func:`relative`). Training lives in ``_intent_training`` (it needs scikit-learn; predicting
does not).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from workbench.nlu._calibration import Calibration
from workbench.nlu._embed import EmbeddingFeaturizer
from workbench.nlu._features import Featurizer
from workbench.nlu._linear import LinearModel
from workbench.nlu._semantic_support import SemanticSupport, semantic_factor, semantic_factors
from workbench.nlu._support import FULL_SUPPORT, Support, factor, factor_of
from workbench.nlu._text_row import TextRow

__all__ = ["NONE", "SMALL", "ConfidenceParts", "IntentClassifier", "relative", "round4"]

NONE = "none"
SMALL = 48
"""Up to this many classes, one text's scores are calibrated and ranked in plain Python (a numpy
call costs about a microsecond, more than the loop); above, numpy's vector code wins."""
Floats = npt.NDArray[np.float64]
Confidences = list[float] | Floats


def round4(value: float) -> float:
    """``round(value, 4)``, at less than half the cost for a confidence (``0 <= value <= 1``).

    ``round`` writes the value out in decimal, correctly rounded (ties to even), and reads it
    back: ``r / 10000`` for the integer ``r`` nearest to the exact ``value * 10000``. The product
    in floating point is off by less than 1e-12 here, so its nearest integer is that ``r``
    unless it is within a hair of a half-integer, where ``round`` itself decides; and
    ``r / 10000.0``, correctly rounded, is the float that reading the decimal gives. Adding
    then subtracting ``1.5 * 2**52`` rounds a float below ``2**51`` to an integer (ties to even,
    as the hardware rounds every sum), without a function call.
    """
    if 0.0 < value <= 1.0:
        scaled = value * 10000.0
        nearest = (scaled + _ROUNDING) - _ROUNDING
        if -0.4999 < scaled - nearest < 0.4999:
            return nearest / 10000.0
    elif value == 0.0:  # no scores, or no support: all zero
        return value
    return round(value, 4)


_ROUNDING = 1.5 * 2.0**52


def relative(decision: npt.NDArray[np.floating], none: int) -> npt.NDArray[np.floating]:
    """Scores measured against the ``none`` class's (column ``none``; ``-1`` = no such class).

    Examples of what a bot does not handle make the ``none`` score an out-of-scope detector of
    its own: how far the best intent is ahead of ``none`` tells out-of-scope text apart better
    than the best score alone (CLINC150 validation: at 60% out-of-scope recall, 93.2% in-scope
    accuracy instead of 92.6%). Without a ``none`` class the scores are left as they are.
    """
    if none < 0:
        return decision
    return decision - decision[..., none : none + 1]


class ConfidenceParts(NamedTuple):
    """Why a message gets its confidence: ``confidence = model * words * meaning``."""

    intent: str
    """The answer: the best class, or ``none`` below the threshold or when ``none`` wins."""
    best: str
    """The best-ranked class (``none`` when the bot's ``none`` examples win)."""
    model: float
    """The linear model's calibrated probability that ``best`` is right."""
    words: float
    """The share kept for the words the message shares with ``best``'s examples (1 = all)."""
    similarity: float | None
    """Cosine between the message's sentence vector and the nearest example of ``best``;
    ``None`` for an engine without sentence vectors."""
    meaning: float | None
    """The share kept for that similarity (1 from ``SEMANTIC_FULL`` on)."""
    confidence: float
    threshold: float


class IntentClassifier:
    """Ranks intents by calibrated confidence; ``none`` below the threshold."""

    def __init__(
        self,
        classes: Sequence[str],
        featurizer: Featurizer,
        model: LinearModel | None,
        calibration: Calibration,
        support: Support,
        semantic: SemanticSupport | None = None,
    ) -> None:
        self.classes = tuple(classes)
        self.featurizer = featurizer
        self.model = model
        self.calibration = calibration
        self.support = support
        self.semantic = semantic
        self._none = self.classes.index(NONE) if NONE in self.classes else -1

    # --- prediction -----------------------------------------------------------------------
    def confidences(self, text: str) -> Floats:
        """Confidence of every class for one text: calibrated, times the lexical support
        factor of the best class (so the order is the model's)."""
        return np.asarray(self._confidences(self.featurizer.text_row(text)), dtype=np.float64)

    def _confidences(self, row: TextRow) -> Confidences:
        """:meth:`confidences` as a list for a few classes, as an array for many."""
        calibrated, share = self._scored(row)
        if share == 1.0:  # c * 1.0 is c: most in-scope messages
            return calibrated
        if isinstance(calibrated, list):
            return [c * share for c in calibrated]
        return calibrated * share

    def _scored(self, row: TextRow) -> tuple[Confidences, float]:
        """Every class's calibrated probability, and the share of it the best class's supports
        leave (the same for every class, so the order is the model's)."""
        n = len(self.classes)
        if not n:
            return [], 1.0
        if self.model is None:
            return [min(1.0, self._lexical(row, 0))] * n, 1.0
        decision = self.model.decision_row(row.columns, row.values, row.dense)
        if self._none >= 0:
            decision = decision - decision[self._none]  # as relative(), for one row
        if n <= SMALL:
            calibrated = self.calibration.confidence_list(decision.tolist())
            return calibrated, self._share(row, calibrated.index(max(calibrated)))
        confidence = self.calibration.confidence(decision)
        return confidence, self._share(row, int(confidence.argmax()))

    def _share(self, row: TextRow, label: int) -> float:
        """The share of confidence a text keeps for its support of class ``label``."""
        words, _, meaning = self._supports(row, label)
        return words if meaning is None else words * meaning

    def _supports(self, row: TextRow, label: int) -> tuple[float, float | None, float | None]:
        """The lexical share, the semantic similarity and its share (``None`` without
        sentence vectors) of a text for class ``label``."""
        words = factor_of(self._lexical(row, label), self.support.full)
        if self.semantic is None or not isinstance(self.featurizer, EmbeddingFeaturizer):
            return words, None, None
        vector = self.featurizer.sentence_vector(row)
        if vector is None:
            return words, None, None
        similarity = self.semantic.of_vector(vector, label)
        return words, similarity, semantic_factor(similarity)

    def explain(self, text: str, threshold: float | None = None) -> ConfidenceParts:
        """The parts of the best class's confidence, as :meth:`decide` computes it."""
        limit = self.calibration.threshold if threshold is None else threshold
        row = self.featurizer.text_row(text)
        if not self.classes:
            return ConfidenceParts(NONE, NONE, 0.0, 0.0, None, None, 0.0, limit)
        if self.model is None:  # one class: its support alone
            words = min(1.0, self._lexical(row, 0))
            best = self.classes[0]
            intent = best if best != NONE and words >= limit else NONE
            return ConfidenceParts(intent, best, 1.0, words, None, None, words, limit)
        scored, share = self._scored(row)
        calibrated = scored if isinstance(scored, list) else scored.tolist()
        label = calibrated.index(max(calibrated))  # the class whose supports count
        words, similarity, meaning = self._supports(row, label)
        confidence = calibrated[label] if share == 1.0 else calibrated[label] * share
        best = self.classes[label]
        intent = best if label != self._none and confidence >= limit else NONE
        return ConfidenceParts(
            intent, best, calibrated[label], words, similarity, meaning, confidence, limit
        )

    def _lexical(self, row: TextRow, label: int) -> float:
        """Lexical support of a text (its row) for class ``label``."""
        if not row.word_count:
            return 0.0
        count = row.word_count
        return self.support.of_row(row.columns[:count], row.values[:count], label, row.coverage)

    def rank(self, text: str, top: int = 5) -> list[tuple[str, float]]:
        """The ``top`` intents (``none`` excluded) by confidence, best first."""
        return self.decide(text, 0.0, top)[2]

    def decide(
        self, text: str, threshold: float | None = None, top: int = 5
    ) -> tuple[str, float, list[tuple[str, float]]]:
        """Intent (``none`` if out of scope), the best intent's confidence, ranked intents."""
        calibrated, share = self._scored(self.featurizer.text_row(text))
        if not len(calibrated):
            return NONE, 0.0, []
        # best first by the model (a share of 0 would tie them all), ties in class order (a
        # stable sort); ``none`` is one class, so ``top + 1`` classes hold the ``top`` best
        if isinstance(calibrated, list):
            order = sorted(range(len(calibrated)), key=calibrated.__getitem__, reverse=True)
            values = calibrated if share == 1.0 else [c * share for c in calibrated]
        else:
            order = np.argsort(-calibrated, kind="stable").tolist()
            values = (calibrated if share == 1.0 else calibrated * share).tolist()
        none = self._none
        if none < 0:
            shown = order[:top]
        else:
            shown = [i for i in (order[: top + 1] if top >= 0 else order) if i != none][:top]
        classes = self.classes
        ranked = [(classes[i], round4(values[i])) for i in shown]
        best = order[0]
        limit = self.calibration.threshold if threshold is None else threshold
        value = ranked[0][1] if ranked else 0.0
        if best == none or values[best] < limit:
            return NONE, value, ranked
        return classes[best], value, ranked

    def top_scores(self, texts: Sequence[str]) -> tuple[list[str], Floats]:
        """Best class and its confidence per text (as :meth:`confidences` computes them)."""
        if self.model is None or not texts:
            results = [self.decide(text, 0.0) for text in texts]
            return [r[0] for r in results], np.array([r[1] for r in results])
        features = self.featurizer.transform(texts)
        decision = relative(self.model.decision(features), self._none)
        best = decision.argmax(axis=1)
        coverage = np.array([self.featurizer.coverage(t) for t in texts])
        words = features[:, : self.featurizer.word_size].tocsr()
        lexical = self.support.of_matrix(words, best, coverage)
        confidence = self.calibration.confidence(decision.max(axis=1)) * factor(
            lexical, self.support.full
        )
        if self.semantic is not None and isinstance(self.featurizer, EmbeddingFeaturizer):
            vectors = self.featurizer.vectors(features)
            confidence *= semantic_factors(self.semantic.of_matrix(vectors, best))
        return [self.classes[b] for b in best.tolist()], confidence

    def predict(self, texts: Sequence[str], threshold: float | None = None) -> list[str]:
        """Intent names of many texts at once (``none`` when out of scope)."""
        limit = self.calibration.threshold if threshold is None else threshold
        names, confidence = self.top_scores(list(texts))
        return [n if c >= limit else NONE for n, c in zip(names, confidence.tolist(), strict=True)]

    # --- saving ---------------------------------------------------------------------------
    def state(self) -> tuple[dict[str, Any], dict[str, npt.NDArray[Any]]]:
        meta, arrays = self.featurizer.state()
        c = self.calibration
        meta = {
            "featurizer": meta,
            "classes": list(self.classes),
            "calibration": [c.slope, c.offset, c.threshold],
            "full_support": self.support.full,
        }
        if self.model is not None:
            arrays["weights"] = self.model.weights
            arrays["bias"] = self.model.bias
        support = self.support
        arrays["support_data"] = support.data.astype(np.float32)
        arrays["support_indices"] = support.indices
        arrays["support_indptr"] = support.indptr
        arrays["support_labels"] = support.labels
        if self.semantic is not None:
            arrays.update(self.semantic.state())
        return meta, arrays

    @classmethod
    def from_state(
        cls, meta: dict[str, Any], arrays: dict[str, npt.NDArray[Any]]
    ) -> IntentClassifier:
        featurizer = (
            EmbeddingFeaturizer.from_embedded_state(meta["featurizer"], arrays)
            if "embedding" in meta["featurizer"]
            else Featurizer.from_state(meta["featurizer"], arrays)
        )
        model = None
        if "weights" in arrays:
            model = LinearModel(arrays["weights"], arrays["bias"])
        support = Support(
            arrays["support_data"].astype(np.float64),
            arrays["support_indices"],
            arrays["support_indptr"],
            arrays["support_labels"],
            featurizer.word_size,
            float(meta.get("full_support", FULL_SUPPORT)),
        )
        slope, offset, threshold = meta["calibration"]
        return cls(
            meta["classes"],
            featurizer,
            model,
            Calibration(slope, offset, threshold),
            support,
            SemanticSupport.from_state(arrays),
        )
