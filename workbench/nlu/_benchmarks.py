"""The evaluation protocols of ``benchmarks/nlu.py`` and ``workbench nlu eval``.

Each follows the README of its data set (``shared/data/nlu/*/README.md``); nothing is tuned on
a test split. Every run reports train seconds, parse p50/p95 (one sentence, milliseconds, entities
included) and the saved model's size.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from workbench.nlu import _datasets as ds
from workbench.nlu._classifier import NONE
from workbench.nlu._embed import EmbeddingFeaturizer
from workbench.nlu._eval import evaluate_intents, parse_timing, report, slot_f1, threshold_curve
from workbench.nlu._model import NLUModel
from workbench.nlu._train import train

__all__ = ["SETS", "TARGETS", "run_benchmarks"]

Progress = Callable[[str], None]
Result = dict[str, Any]
SETS = ("clinc150", "clinc150_val_threshold", "botpress_clinc150", "banking77", "snips2017")
TARGETS: dict[str, dict[str, float]] = {
    "clinc150": {"in_scope_accuracy": 0.93, "oos_recall": 0.50, "train_seconds": 15.0},
    "botpress_clinc150": {"accuracy": 0.82, "oos_recall": 0.55},
    "banking77": {"accuracy": 0.92},
    "snips2017": {"intent_accuracy": 0.98, "slot_f1": 0.93},
}
TIMED_SENTENCES = 1000
VAL_SLACK = 0.01


def _grouped(pairs: ds.Pairs) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for text, label in pairs:
        grouped.setdefault(label, []).append(text)
    return grouped


def _fit(examples: dict[str, list[str]], engine: str) -> tuple[NLUModel, float]:
    start = time.perf_counter()
    model = train(examples, engine=engine)
    return model, time.perf_counter() - start


def _costs(model: NLUModel, seconds: float, texts: Sequence[str]) -> Result:
    handle, name = tempfile.mkstemp(suffix=".npz")
    os.close(handle)
    try:
        size = model.save(name).stat().st_size
    finally:
        Path(name).unlink(missing_ok=True)
    if isinstance(model.classifier.featurizer, EmbeddingFeaturizer):
        model.classifier.featurizer.encoder.forget()  # time real encoding, not the memo
    return {
        "train_seconds": round(seconds, 2),
        **{k: round(v, 3) for k, v in parse_timing(model, texts[:TIMED_SENTENCES]).items()},
        "model_mb": round(size / 1e6, 2),
        "calibrated_threshold": model.calibrated_threshold,
    }


def _rounded(values: dict[str, Any]) -> Result:
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in values.items()}


def clinc150(root: Path, engine: str = "default") -> Result:
    """oos-train scheme: train + oos_train (as ``none``); threshold by the engine's own CV."""
    data = ds.clinc150(root)
    model, seconds = _fit(_grouped(data["train"] + data["oos_train"]), engine)
    test = data["test"] + data["oos_test"]
    scores = evaluate_intents(model, [t for t, _ in test], [label for _, label in test])
    return {
        "protocol": "train on train + oos_train (as none), threshold by CV on train; "
        "score test + oos_test",
        **_rounded(
            {
                "in_scope_accuracy": scores.in_scope_accuracy,
                "oos_recall": scores.oos_recall,
                "macro_f1": scores.macro_f1,
                "accuracy": scores.accuracy,
            }
        ),
        **_costs(model, seconds, [t for t, _ in data["test"]]),
    }


def clinc150_val_threshold(root: Path, engine: str = "default") -> Result:
    """oos-threshold scheme: 150-way model on train; on val + oos_val, the highest threshold
    that keeps in-scope accuracy within ``VAL_SLACK`` of its value without a threshold is
    applied to test + oos_test."""
    data = ds.clinc150(root)
    model, seconds = _fit(_grouped(data["train"]), engine)
    val = data["val"] + data["oos_val"]
    curve = threshold_curve(model, [t for t, _ in val], [label for _, label in val])
    closed = float(curve[0]["in_scope_accuracy"] or 0.0)
    kept = [p for p in curve if float(p["in_scope_accuracy"] or 0.0) >= closed - VAL_SLACK]
    threshold = float(max(kept, key=lambda p: float(p["threshold"] or 0.0))["threshold"] or 0.0)
    test = data["test"] + data["oos_test"]
    scores = evaluate_intents(model, [t for t, _ in test], [lb for _, lb in test], threshold)
    return {
        "protocol": "train on train (150-way); threshold chosen on val + oos_val "
        f"(in-scope accuracy within {VAL_SLACK} of no threshold); score test + oos_test",
        "threshold": threshold,
        **_rounded(
            {
                "in_scope_accuracy": scores.in_scope_accuracy,
                "oos_recall": scores.oos_recall,
                "macro_f1": scores.macro_f1,
                "accuracy": scores.accuracy,
            }
        ),
        **_costs(model, seconds, [t for t, _ in data["test"]]),
    }


def botpress_clinc150(
    root: Path, engine: str = "default", seeds: Sequence[int] = (42, 69, 666)
) -> Result:
    """Botpress's regression problem: 20 utterances per intent, no oos in training; bitfan's
    accuracy (``oos`` counts as a label) and oos precision/recall/F1 on the 8,600 test."""
    runs: dict[str, Result] = {}
    for seed in seeds:
        train_pairs, test = ds.botpress_clinc150(root, seed)
        model, seconds = _fit(_grouped(train_pairs), engine)
        scores = evaluate_intents(model, [t for t, _ in test], [label for _, label in test])
        precision, recall = scores.oos_precision or 0.0, scores.oos_recall or 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        runs[str(seed)] = _rounded(
            {
                "accuracy": scores.accuracy,
                "oos_recall": recall,
                "oos_precision": precision,
                "oos_f1": f1,
                "train_seconds": round(seconds, 2),
            }
        )
    mean = {
        key: round(sum(float(r[key]) for r in runs.values()) / len(runs), 4)
        for key in ("accuracy", "oos_recall", "oos_precision", "oos_f1")
    }
    return {"protocol": "bitfan metrics, mean over seeds", **mean, "seeds": runs}


def banking77(root: Path, engine: str = "default") -> Result:
    """Closed-set accuracy on test (no out-of-scope class: the threshold is off), and the same
    with the calibrated threshold left on (``none`` counts as wrong)."""
    train_pairs, test = ds.banking77(root)
    model, seconds = _fit(_grouped(train_pairs), engine)
    texts, labels = [t for t, _ in test], [label for _, label in test]
    closed = evaluate_intents(model, texts, labels, threshold=0.0)
    guarded = evaluate_intents(model, texts, labels)
    return {
        "protocol": "train on train, score test (closed set)",
        **_rounded(
            {
                "accuracy": closed.accuracy,
                "macro_f1": closed.macro_f1,
                "accuracy_with_threshold": guarded.accuracy,
            }
        ),
        **_costs(model, seconds, texts),
    }


def snips2017(root: Path, engine: str = "default", train_split: str = "train_full") -> Result:
    """Train on the ``train_*_full`` files (slots annotated), score the 700 ``validate`` queries:
    closed-set intent accuracy and exact-span slot F1 (with the predicted intents)."""
    train_items = ds.snips2017(root, train_split)
    examples: dict[str, list[str]] = {}
    for utterance, intent in train_items:
        examples.setdefault(intent, []).append(ds.annotate(utterance))
    model, seconds = _fit(examples, engine)
    closed = model.with_threshold(0.0)
    test = ds.snips2017(root, "validate")
    texts = [u.text for u, _ in test]
    intents = report([i for _, i in test], closed.predict(texts))
    slots = slot_f1(closed, test)
    return {
        "protocol": f"train on {train_split}, score validate (closed set)",
        **_rounded(
            {
                "intent_accuracy": intents.accuracy,
                "slot_f1": slots["f1"],
                "slot_precision": slots["precision"],
                "slot_recall": slots["recall"],
            }
        ),
        **_costs(model, seconds, texts),
    }


def run_benchmarks(
    root: Path,
    sets: Sequence[str] = SETS,
    *,
    quick: bool = False,
    engine: str = "default",
    progress: Progress | None = None,
) -> Result:
    """Run the chosen protocols; ``quick`` = Botpress seed 42 only, Snips trained on its
    300-per-intent pool instead of the full files."""
    say = progress or (lambda message: None)
    results: Result = {}
    for name in sets:
        say(f"nlu benchmark: {name} ...")
        start = time.perf_counter()
        if name == "clinc150":
            results[name] = clinc150(root, engine)
        elif name == "clinc150_val_threshold":
            results[name] = clinc150_val_threshold(root, engine)
        elif name == "botpress_clinc150":
            results[name] = botpress_clinc150(root, engine, (42,) if quick else (42, 69, 666))
        elif name == "banking77":
            results[name] = banking77(root, engine)
        elif name == "snips2017":
            results[name] = snips2017(root, engine, "train" if quick else "train_full")
        else:
            raise ValueError(f"unknown benchmark {name!r} (known: {', '.join(SETS)})")
        say(f"nlu benchmark: {name} done in {time.perf_counter() - start:.1f} s")
    return {"engine": engine, "none_label": NONE, "results": results, "targets": TARGETS}
