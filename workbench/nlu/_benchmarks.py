"""The evaluation protocols of ``benchmarks/nlu.py`` and ``workbench nlu eval``.

Each follows the README of its data set (``shared/data/nlu/*/README.md``); nothing is tuned on
a test split. Every run reports train seconds, parse p50/p95 (one sentence, milliseconds, entities
included) and the saved model's size, and every set reports the closed-set top-1 accuracy (the
best intent, no out-of-scope threshold) beside the accuracy after rejection, so what the
threshold costs is in plain sight. ``clinc150_fewshot`` measures that cost where it hurts most:
bots with 5 and 10 examples per intent and no ``none`` examples.
"""

from __future__ import annotations

import os
import random
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
SETS = (
    "clinc150",
    "clinc150_val_threshold",
    "clinc150_fewshot",
    "botpress_clinc150",
    "banking77",
    "snips2017",
)
TARGETS: dict[str, dict[str, float]] = {
    "clinc150": {"in_scope_accuracy": 0.93, "oos_recall": 0.60, "train_seconds": 15.0},
    "clinc150_fewshot": {"worst_rejection_cost": 0.03, "worst_oos_recall": 0.40},
    "botpress_clinc150": {"accuracy": 0.86, "oos_recall": 0.65},
    "banking77": {"accuracy": 0.925},
    "snips2017": {"intent_accuracy": 0.985, "slot_f1": 0.95},
}
FEWSHOT_SIZES = (5, 10)
FEWSHOT_SEEDS = (0, 1, 2)
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
                **_closed_set(model, data["test"], scores.in_scope_accuracy),
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
    closed_set = _closed_set(model, data["test"], scores.in_scope_accuracy)
    return {
        "protocol": "train on train (150-way); threshold chosen on val + oos_val "
        f"(in-scope accuracy within {VAL_SLACK} of no threshold); score test + oos_test",
        "threshold": threshold,
        **_rounded(
            {
                **closed_set,
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
        in_scope = [(t, label) for t, label in test if label != NONE]
        runs[str(seed)] = _rounded(
            {
                **_closed_set(model, in_scope, scores.in_scope_accuracy),
                "in_scope_accuracy": scores.in_scope_accuracy,
                "accuracy": scores.accuracy,
                "oos_recall": recall,
                "oos_precision": precision,
                "oos_f1": f1,
                "train_seconds": round(seconds, 2),
            }
        )
    mean = {
        key: round(sum(float(r[key]) for r in runs.values()) / len(runs), 4)
        for key in (
            "closed_set_top1",
            "in_scope_accuracy",
            "rejection_cost",
            "accuracy",
            "oos_recall",
            "oos_precision",
            "oos_f1",
        )
    }
    return {"protocol": "bitfan metrics, mean over seeds", **mean, "seeds": runs}


def _closed_set(model: NLUModel, in_scope: ds.Pairs, after: float | None) -> Result:
    """Closed-set top-1 accuracy on the in-scope examples (the best intent, no threshold) and
    what rejection costs: that minus the in-scope accuracy after rejection (``after``)."""
    closed = evaluate_intents(
        model, [t for t, _ in in_scope], [label for _, label in in_scope], threshold=0.0
    )
    top1 = float(closed.accuracy)
    return {"closed_set_top1": top1, "rejection_cost": top1 - float(after or 0.0)}


def clinc150_fewshot(
    root: Path,
    engine: str = "default",
    sizes: Sequence[int] = FEWSHOT_SIZES,
    seeds: Sequence[int] = FEWSHOT_SEEDS,
) -> Result:
    """Small bots: ``size`` examples per intent drawn from CLINC150 train (per seed), no
    ``none`` examples, threshold by the engine's own CV; scored on test + oos_test. The cost of
    rejection is closed-set top-1 minus in-scope accuracy after rejection."""
    data = ds.clinc150(root)
    pool = _grouped(data["train"])
    test = data["test"] + data["oos_test"]
    runs: dict[str, Result] = {}
    for size in sizes:
        for seed in seeds:
            rng = random.Random(seed)
            examples = {label: rng.sample(texts, size) for label, texts in sorted(pool.items())}
            model, seconds = _fit(examples, engine)
            scores = evaluate_intents(model, [t for t, _ in test], [lb for _, lb in test])
            runs[f"{size}x{seed}"] = _rounded(
                {
                    "examples_per_intent": size,
                    "seed": seed,
                    **_closed_set(model, data["test"], scores.in_scope_accuracy),
                    "in_scope_accuracy": scores.in_scope_accuracy,
                    "oos_recall": scores.oos_recall,
                    "threshold": model.threshold,
                    "train_seconds": round(seconds, 2),
                }
            )
    summary: Result = {}
    for size in sizes:
        mine = [r for r in runs.values() if r["examples_per_intent"] == size]
        for key in ("closed_set_top1", "in_scope_accuracy", "rejection_cost", "oos_recall"):
            summary[f"{size}_{key}"] = round(sum(float(r[key]) for r in mine) / len(mine), 4)
    return {
        "protocol": f"{'/'.join(map(str, sizes))} examples per intent from train (seeds "
        f"{', '.join(map(str, seeds))}), no none examples, CV threshold; score test + oos_test",
        "worst_rejection_cost": max(float(r["rejection_cost"]) for r in runs.values()),
        "worst_oos_recall": min(float(r["oos_recall"]) for r in runs.values()),
        **summary,
        "runs": runs,
    }


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
                "closed_set_top1": closed.accuracy,
                "macro_f1": closed.macro_f1,
                "accuracy_with_threshold": guarded.accuracy,
                "rejection_cost": closed.accuracy - guarded.accuracy,
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
    guarded = report([i for _, i in test], model.predict(texts))
    slots = slot_f1(closed, test)
    return {
        "protocol": f"train on {train_split}, score validate (closed set)",
        **_rounded(
            {
                "intent_accuracy": intents.accuracy,
                "closed_set_top1": intents.accuracy,
                "intent_accuracy_with_threshold": guarded.accuracy,
                "rejection_cost": intents.accuracy - guarded.accuracy,
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
    """Run the chosen protocols; ``quick`` = Botpress seed 42 and few-shot seed 0 only, Snips
    trained on its 300-per-intent pool instead of the full files."""
    say = progress or (lambda message: None)
    results: Result = {}
    for name in sets:
        say(f"nlu benchmark: {name} ...")
        start = time.perf_counter()
        if name == "clinc150":
            results[name] = clinc150(root, engine)
        elif name == "clinc150_val_threshold":
            results[name] = clinc150_val_threshold(root, engine)
        elif name == "clinc150_fewshot":
            results[name] = clinc150_fewshot(root, engine, seeds=(0,) if quick else FEWSHOT_SEEDS)
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
