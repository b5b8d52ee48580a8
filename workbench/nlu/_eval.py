"""Scoring a recogniser: intent accuracy, out-of-scope recall, F1 per intent, slot F1, speed."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from workbench.nlu._annotations import Utterance
from workbench.nlu._classifier import NONE
from workbench.nlu._eval_view import report_html, report_lines
from workbench.nlu._model import NLUModel
from workbench.nlu._slots import tokenize
from workbench.schema import plural

__all__ = [
    "IntentReport",
    "curve_points",
    "evaluate_intents",
    "parse_timing",
    "report",
    "slot_f1",
    "threshold_curve",
]


@dataclass(frozen=True)
class IntentReport:
    """Scores of predicted against expected intents (``none`` = out of scope)."""

    accuracy: float
    """Share of all examples whose prediction equals the label (``none`` counts as a label)."""
    in_scope_accuracy: float | None
    """Share of in-scope examples predicted right (``none`` for them is wrong)."""
    oos_recall: float | None
    """Share of out-of-scope examples predicted ``none``."""
    oos_precision: float | None
    macro_f1: float
    """Mean F1 over the labels (``none`` included when it occurs)."""
    per_intent: dict[str, tuple[float, float, float, int]] = field(repr=False)
    """label -> (precision, recall, F1, support)."""
    labels: tuple[str, ...] = field(repr=False, default=())
    confusion: list[list[int]] = field(repr=False, default_factory=list)
    """``confusion[i][j]`` = examples of ``labels[i]`` predicted as ``labels[j]``."""

    @property
    def examples(self) -> int:
        return sum(support for *_, support in self.per_intent.values())

    def _title(self) -> str:
        return f"Intents scored on {plural(self.examples, 'example')}"

    def __str__(self) -> str:
        """The scores and the weakest intents, in three lines."""
        return "\n".join(report_lines(self, self._title()))

    def _repr_html_(self) -> str:
        return report_html(self, self._title())


def _share(hits: int, total: int) -> float | None:
    return hits / total if total else None


def report(expected: Sequence[str], predicted: Sequence[str]) -> IntentReport:
    """An :class:`IntentReport` from two label lists."""
    labels = tuple(sorted(set(expected) | set(predicted)))
    index = {label: i for i, label in enumerate(labels)}
    matrix = np.zeros((len(labels), len(labels)), dtype=np.int64)
    for e, p in zip(expected, predicted, strict=True):
        matrix[index[e], index[p]] += 1
    per_intent: dict[str, tuple[float, float, float, int]] = {}
    for label in sorted(set(expected)):
        i = index[label]
        tp = int(matrix[i, i])
        support = int(matrix[i].sum())
        predicted_count = int(matrix[:, i].sum())
        precision = tp / predicted_count if predicted_count else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_intent[label] = (precision, recall, f1, support)
    pairs = list(zip(expected, predicted, strict=True))
    in_scope = [(e, p) for e, p in pairs if e != NONE]
    oos = [(e, p) for e, p in pairs if e == NONE]
    said_none = sum(1 for _, p in pairs if p == NONE)
    return IntentReport(
        accuracy=sum(e == p for e, p in pairs) / max(1, len(pairs)),
        in_scope_accuracy=_share(sum(e == p for e, p in in_scope), len(in_scope)),
        oos_recall=_share(sum(p == NONE for _, p in oos), len(oos)),
        oos_precision=_share(sum(p == NONE for _, p in oos), said_none) if oos else None,
        macro_f1=float(np.mean([v[2] for v in per_intent.values()])) if per_intent else 0.0,
        per_intent=per_intent,
        labels=labels,
        confusion=matrix.tolist(),
    )


def evaluate_intents(
    model: NLUModel, texts: Sequence[str], labels: Sequence[str], threshold: float | None = None
) -> IntentReport:
    """Score ``model.predict`` (at ``threshold``, default the model's) against ``labels``."""
    chosen = model if threshold is None else model.with_threshold(threshold)
    return report(list(labels), chosen.predict(list(texts)))


def threshold_curve(
    model: NLUModel,
    texts: Sequence[str],
    labels: Sequence[str],
    thresholds: Sequence[float] | None = None,
) -> list[dict[str, float | None]]:
    """In-scope accuracy, out-of-scope recall and accuracy at each threshold (0 to 1 by 0.02)."""
    names, confidence = model.classifier.top_scores(list(texts))
    return curve_points(names, confidence.tolist(), labels, thresholds)


def curve_points(
    guesses: Sequence[str],
    confidences: Sequence[float],
    labels: Sequence[str],
    thresholds: Sequence[float] | None = None,
) -> list[dict[str, float | None]]:
    """The scores at each threshold (0 to 1 by 0.02) from each example's best guess and its
    confidence: below the threshold, the prediction is ``none``."""
    expected = list(labels)
    points = []
    for threshold in thresholds if thresholds is not None else np.arange(0.0, 1.0001, 0.02):
        predicted = [
            g if c >= threshold else NONE for g, c in zip(guesses, confidences, strict=True)
        ]
        scores = report(expected, predicted)
        points.append(
            {
                "threshold": round(float(threshold), 4),
                "in_scope_accuracy": scores.in_scope_accuracy,
                "oos_recall": scores.oos_recall,
                "accuracy": scores.accuracy,
            }
        )
    return points


def _aligned(text: str, spans: Sequence[tuple[str, int, int]]) -> set[tuple[str, int, int]]:
    """Spans widened to whole tokens (how a tagger sees them)."""
    tokens = tokenize(text)
    result = set()
    for name, start, end in spans:
        inside = [t for t in tokens if t.start < end and start < t.end]
        if inside:
            result.add((name, inside[0].start, inside[-1].end))
    return result


def slot_f1(
    model: NLUModel, examples: Sequence[tuple[Utterance, str]]
) -> dict[str, float | dict[str, float]]:
    """Exact-span slot precision, recall and F1 (micro, over slot types the data annotates),
    with the model's own intent predictions, as a user would get them."""
    slot_types = {s.name for u, _ in examples for s in u.slots}
    counts: Counter[str] = Counter()
    for utterance, _ in examples:
        result = model.parse(utterance.text)
        gold = _aligned(utterance.text, [(s.name, s.start, s.end) for s in utterance.slots])
        found = {(e.type, e.start, e.end) for e in result.entities if e.type in slot_types}
        counts["tp"] += len(gold & found)
        counts["fp"] += len(found - gold)
        counts["fn"] += len(gold - found)
    precision = counts["tp"] / max(1, counts["tp"] + counts["fp"])
    recall = counts["tp"] / max(1, counts["tp"] + counts["fn"])
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def parse_timing(model: NLUModel, texts: Sequence[str], repeat: int = 1) -> dict[str, float]:
    """Milliseconds per ``parse`` of one text: p50 and p95."""
    times = []
    for _ in range(repeat):
        for text in texts:
            start = time.perf_counter()
            model.parse(text)
            times.append((time.perf_counter() - start) * 1000)
    return {
        "p50_ms": float(np.percentile(times, 50)),
        "p95_ms": float(np.percentile(times, 95)),
    }
