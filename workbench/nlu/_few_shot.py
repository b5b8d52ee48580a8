"""The few-shot curve: how accuracy grows with the examples each intent has, per engine.

Real bots start with a handful of examples per intent; this trains each engine on ``size``
examples per intent drawn from a pool (for each size) and scores the same test messages: the
closed-set top-1 accuracy (the best intent, no out-of-scope threshold) and the in-scope
accuracy after rejection, with the out-of-scope recall when the test has ``none`` messages.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from workbench.nlu._classifier import NONE
from workbench.nlu._data import NLUData
from workbench.nlu._eval import report
from workbench.nlu._simple import SimpleRecognizer
from workbench.nlu._train import train

__all__ = ["FEW_SHOT_SIZES", "few_shot_curve"]

FEW_SHOT_SIZES = (5, 10, 20, 50)
Point = dict[str, str | int | float | None]


def few_shot_curve(
    pool: Mapping[str, Sequence[str]],
    test: Sequence[tuple[str, str]],
    sizes: Sequence[int] = FEW_SHOT_SIZES,
    engines: Sequence[str] = ("default", "simple"),
    *,
    seed: int = 0,
) -> list[Point]:
    """One point per engine and size: ``engine``, ``examples_per_intent``,
    ``closed_set_top1``, ``in_scope_accuracy`` (after rejection) and ``oos_recall``.

    ``pool`` maps each intent to its candidate examples (an intent with fewer than ``size``
    keeps them all); ``test`` is ``(text, intent)`` pairs, ``none`` for out of scope. Engines:
    ``default``, ``embed`` (the ``nlu-embed`` extra) and ``simple`` (the untrained matcher;
    its intent names must be identifiers).
    """
    texts = [text for text, _ in test]
    labels = [label for _, label in test]
    in_scope = [i for i, label in enumerate(labels) if label != NONE]
    points: list[Point] = []
    for size in sizes:
        rng = random.Random(seed)
        examples = {
            intent: rng.sample(list(utterances), min(size, len(utterances)))
            for intent, utterances in sorted(pool.items())
        }
        for engine in engines:
            top, after = _predictions(examples, texts, engine)
            closed = report([labels[i] for i in in_scope], [top[i] for i in in_scope])
            scores = report(labels, after)
            points.append(
                {
                    "engine": engine,
                    "examples_per_intent": size,
                    "closed_set_top1": round(closed.accuracy, 4),
                    "in_scope_accuracy": _rounded(scores.in_scope_accuracy),
                    "oos_recall": _rounded(scores.oos_recall),
                }
            )
    return points


def _predictions(
    examples: dict[str, list[str]], texts: list[str], engine: str
) -> tuple[list[str], list[str]]:
    """The best intent of each text (no threshold) and the answer after rejection."""
    if engine == "simple":
        matcher = SimpleRecognizer(NLUData(intents=examples))
        results = [matcher.parse(text) for text in texts]
        top = [r.intents[0][0] if r.intents else NONE for r in results]
        return top, [r.intent for r in results]
    model = train(examples, engine=engine)
    return model.with_threshold(0.0).predict(texts), model.predict(texts)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
