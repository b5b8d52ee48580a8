"""How well a bot's own NLU data holds up: k-fold cross-validation of its intents.

A bot has no separate test set, so each fold is held out in turn and scored by a model trained
on the others. The result is what the NLU notebook charts: the report (accuracy, per-intent F1,
confusion matrix), the threshold curve and the misclassified examples.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from workbench.nlu._annotations import parse_utterance
from workbench.nlu._classifier import NONE
from workbench.nlu._data import NLUData
from workbench.nlu._eval import IntentReport, curve_points, report
from workbench.nlu._eval_view import report_html, report_lines
from workbench.nlu._train import train
from workbench.schema import plural

__all__ = ["CrossValidation", "cross_validate"]


@dataclass(frozen=True)
class CrossValidation:
    """Every example of the data, scored by a model that did not see it."""

    texts: list[str]
    labels: list[str]
    guesses: list[str]
    """The best intent of each example (before the threshold)."""
    confidences: list[float]
    thresholds: list[float] = field(repr=False)
    """The calibrated threshold of each fold's model."""
    threshold: float
    """The threshold the scores below use: the one given, else the folds' median calibrated one."""

    @property
    def predicted(self) -> list[str]:
        return [
            g if c >= self.threshold else NONE
            for g, c in zip(self.guesses, self.confidences, strict=True)
        ]

    @property
    def report(self) -> IntentReport:
        return report(self.labels, self.predicted)

    def curve(self, thresholds: Sequence[float] | None = None) -> list[dict[str, float | None]]:
        """In-scope accuracy, out-of-scope recall and accuracy at each threshold."""
        return curve_points(self.guesses, self.confidences, self.labels, thresholds)

    @property
    def folds(self) -> int:
        """The folds that held examples out (each has its calibrated threshold)."""
        return len(self.thresholds)

    def _title(self) -> str:
        return (
            f"{self.folds}-fold cross-validation of {plural(len(self.texts), 'example')}"
            f" (threshold {self.threshold:.2f})"
        )

    def __str__(self) -> str:
        """The scores, the weakest intents and how many mistakes, in four lines."""
        missed = plural(len(self.mistakes()), "mistake")
        return "\n".join([*report_lines(self.report, self._title()), f"{missed}: cv.mistakes()"])

    def __repr__(self) -> str:
        accuracy = f"accuracy {self.report.accuracy:.1%}" if self.texts else "nothing scored"
        examples = plural(len(self.texts), "example")
        return f"<CrossValidation {examples}, {plural(self.folds, 'fold')}, {accuracy}>"

    def _repr_html_(self) -> str:
        return report_html(self.report, self._title(), self.mistakes())

    def mistakes(self) -> list[dict[str, Any]]:
        """The examples predicted wrong, least confident first."""
        rows = [
            {"text": t, "expected": e, "predicted": p, "confidence": round(c, 4)}
            for t, e, p, c in zip(
                self.texts, self.labels, self.predicted, self.confidences, strict=True
            )
            if e != p
        ]
        return sorted(rows, key=lambda row: row["confidence"])


def cross_validate(
    data: NLUData,
    folds: int = 5,
    *,
    engine: str = "default",
    language: str = "en",
    threshold: float | None = None,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> CrossValidation:
    """Hold out each of ``folds`` stratified folds in turn; ``progress(done, total)`` per fold.

    Every intent's examples are spread over the folds, so an intent with fewer examples than
    folds is missing from some training sets: exactly the weakness the report should show.
    """
    if folds < 2:
        raise ValueError("cross-validation needs at least 2 folds")
    fold_of: list[tuple[int, str, str]] = []  # (fold, raw utterance, intent)
    rng = random.Random(seed)
    for intent in sorted(data.intents):
        utterances = list(data.intents[intent])
        rng.shuffle(utterances)
        offset = rng.randrange(folds)
        fold_of += [((offset + i) % folds, raw, intent) for i, raw in enumerate(utterances)]
    texts: list[str] = []
    labels: list[str] = []
    guesses: list[str] = []
    confidences: list[float] = []
    calibrated: list[float] = []
    for fold in range(folds):
        held_out = [(raw, intent) for f, raw, intent in fold_of if f == fold]
        if not held_out:
            continue
        kept: dict[str, list[str]] = {}
        for f, raw, intent in fold_of:
            if f != fold:
                kept.setdefault(intent, []).append(raw)
        model = train(data.model_copy(update={"intents": kept}), language, engine)
        fold_texts = [parse_utterance(raw).text for raw, _ in held_out]
        names, scores = model.classifier.top_scores(fold_texts)
        texts += fold_texts
        labels += [intent for _, intent in held_out]
        guesses += names
        confidences += [float(c) for c in scores]
        calibrated.append(model.calibrated_threshold)
        if progress is not None:
            progress(fold + 1, folds)
    middle = sorted(calibrated)[len(calibrated) // 2] if calibrated else 0.5
    return CrossValidation(
        texts,
        labels,
        guesses,
        confidences,
        calibrated,
        middle if threshold is None else threshold,
    )
