"""A quick subset of the NLU evaluation (``benchmarks/nlu.py`` runs the full one).

Figures are the measured ones minus a regression tolerance. Without the data folder the tests
skip, except on CI (``CI=true``), where a missing data folder is a failure.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from workbench.nlu import _datasets as ds
from workbench.nlu import evaluate_intents, slot_f1, train

TOLERANCE = 0.02
ROOT = ds.data_root()


@pytest.fixture(scope="module")
def root() -> Path:
    if not (ROOT / "clinc150").is_dir():
        message = f"NLU benchmark data not found at {ROOT} (set {ds.ENV_VAR})"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return ROOT


def grouped(pairs: ds.Pairs) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for text, label in pairs:
        result.setdefault(label, []).append(text)
    return result


def test_clinc150_subset_in_scope_accuracy_and_oos_recall(root: Path) -> None:
    """30 of the 150 intents (every fifth), oos_train as ``none``, CV threshold."""
    data = ds.clinc150(root)
    intents = sorted({label for _, label in data["train"]})[::5]
    keep = set(intents)
    train_pairs = [p for p in data["train"] if p[1] in keep] + data["oos_train"]
    test = [p for p in data["test"] if p[1] in keep] + data["oos_test"]
    model = train(grouped(train_pairs))
    scores = evaluate_intents(model, [t for t, _ in test], [label for _, label in test])
    print("clinc150 subset", scores)
    assert scores.in_scope_accuracy is not None and scores.oos_recall is not None
    assert scores.in_scope_accuracy >= MEASURED["clinc_in_scope"] - TOLERANCE
    assert scores.oos_recall >= MEASURED["clinc_oos_recall"] - TOLERANCE


def test_botpress_regression_seed_42(root: Path) -> None:
    """Botpress's own regression problem (20 utterances per intent, no oos in training)."""
    train_pairs, test = ds.botpress_clinc150(root, 42)
    model = train(grouped(train_pairs))
    scores = evaluate_intents(model, [t for t, _ in test], [label for _, label in test])
    print("botpress seed 42", scores)
    assert scores.oos_recall is not None
    assert scores.accuracy >= MEASURED["botpress_accuracy"] - TOLERANCE
    assert scores.oos_recall >= MEASURED["botpress_oos_recall"] - TOLERANCE


def test_rejection_costs_a_small_bot_little(root: Path) -> None:
    """5 examples per intent (30 intents, no ``none`` examples): the threshold costs at most 3
    points of in-scope accuracy against closed-set top-1 and still rejects 40% of oos_test."""
    data = ds.clinc150(root)
    pool = grouped(data["train"])
    rng = random.Random(0)
    examples = {label: rng.sample(pool[label], 5) for label in sorted(pool)[::5]}
    model = train(examples)
    in_scope = [(t, label) for t, label in data["test"] if label in examples]
    test = in_scope + data["oos_test"]
    after = evaluate_intents(model, [t for t, _ in test], [label for _, label in test])
    closed = evaluate_intents(model, [t for t, _ in in_scope], [lb for _, lb in in_scope], 0.0)
    print("few-shot", closed.accuracy, after)
    assert after.in_scope_accuracy is not None and after.oos_recall is not None
    assert closed.accuracy - after.in_scope_accuracy <= 0.03
    assert after.oos_recall >= 0.40


def test_banking77_subset_closed_set_accuracy(root: Path) -> None:
    """The first 25 of the 77 intents (alphabetically), closed set."""
    train_pairs, test = ds.banking77(root)
    keep = set(sorted({label for _, label in train_pairs})[:25])
    model = train(grouped([p for p in train_pairs if p[1] in keep]))
    chosen = [p for p in test if p[1] in keep]
    scores = evaluate_intents(model, [t for t, _ in chosen], [lb for _, lb in chosen], 0.0)
    print("banking77 subset", scores)
    assert scores.accuracy >= MEASURED["banking_accuracy"] - TOLERANCE


def test_snips_small_pool_intents_and_slots(root: Path) -> None:
    """Trained on the 300-per-intent pool (not the full files), scored on validate."""
    examples: dict[str, list[str]] = {}
    for utterance, intent in ds.snips2017(root, "train"):
        examples.setdefault(intent, []).append(ds.annotate(utterance))
    model = train(examples).with_threshold(0.0)
    test = ds.snips2017(root, "validate")
    texts = [u.text for u, _ in test]
    intents = evaluate_intents(model, texts, [i for _, i in test])
    slots = slot_f1(model, test)
    print("snips pool", intents.accuracy, slots)
    assert intents.accuracy >= MEASURED["snips_intent_accuracy"] - TOLERANCE
    assert slots["f1"] >= MEASURED["snips_slot_f1"] - TOLERANCE


MEASURED = {
    "clinc_in_scope": 0.972,
    "clinc_oos_recall": 0.865,
    "botpress_accuracy": 0.862,
    "botpress_oos_recall": 0.764,
    "banking_accuracy": 0.966,
    "snips_intent_accuracy": 0.993,
    "snips_slot_f1": 0.906,
}
"""Measured on this code (2 cores); see the module docstring."""
