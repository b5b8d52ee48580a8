"""Scores: accuracy with ``none`` as a label, in-scope accuracy, OOS recall, F1, slot F1."""

from __future__ import annotations

import pytest

from workbench.nlu import (
    NLUData,
    parse_utterance,
    slot_f1,
    threshold_curve,
    train,
    unhandled,
    with_examples,
)
from workbench.nlu._eval import parse_timing, report


def test_report_counts_none_as_out_of_scope() -> None:
    expected = ["a", "a", "b", "none", "none"]
    predicted = ["a", "none", "b", "none", "a"]
    scores = report(expected, predicted)
    assert scores.accuracy == pytest.approx(3 / 5)
    assert scores.in_scope_accuracy == pytest.approx(2 / 3)
    assert scores.oos_recall == pytest.approx(1 / 2)
    assert scores.oos_precision == pytest.approx(1 / 2)
    assert scores.per_intent["a"] == pytest.approx((1 / 2, 1 / 2, 1 / 2, 2))
    assert scores.macro_f1 == pytest.approx((0.5 + 1.0 + 0.5) / 3)
    assert scores.labels == ("a", "b", "none")
    assert scores.confusion == [[1, 0, 1], [0, 1, 0], [1, 0, 1]]


def test_without_out_of_scope_examples_there_is_no_oos_recall() -> None:
    scores = report(["a", "b"], ["a", "a"])
    assert scores.oos_recall is None and scores.oos_precision is None
    assert scores.in_scope_accuracy == 0.5


EXAMPLES = {
    "book": [
        "book a table for [two](people)",
        "reserve a table for [four](people) people",
        "I need a table for [six](people)",
        "book [two](people) seats",
        "table for [three](people) please",
        "can I book a table",
    ],
    "menu": [
        "show me the menu",
        "what is on the menu",
        "do you have vegan dishes",
        "what do you serve",
        "menu please",
        "any specials today",
    ],
}


def test_slot_f1_and_curve_and_timing_on_a_tiny_model() -> None:
    model = train(EXAMPLES)
    test = [
        (parse_utterance("book a table for [five](people)"), "book"),
        (parse_utterance("what is on the menu today"), "menu"),
    ]
    scores = slot_f1(model, test)
    assert set(scores) == {"precision", "recall", "f1"}
    assert 0.0 <= scores["f1"] <= 1.0
    curve = threshold_curve(
        model, ["menu please", "book a table", "blorp"], ["menu", "book", "none"]
    )
    assert curve[0]["threshold"] == 0.0 and curve[-1]["threshold"] == 1.0
    assert curve[0]["oos_recall"] == 0.0 and curve[-1]["oos_recall"] == 1.0
    assert curve[-1]["in_scope_accuracy"] == 0.0
    timing = parse_timing(model, ["menu please", "book a table for two"])
    assert 0.0 < timing["p50_ms"] <= timing["p95_ms"]


def test_unhandled_messages_become_training_examples() -> None:
    data = NLUData(intents={k: list(v) for k, v in EXAMPLES.items()})
    model = train(data)
    texts = ["menu please", "blorp zzz", "blorp   zzz", "where do you park cars"]
    suggestions = unhandled(model, texts)
    assert [s.text for s in suggestions if s.text == "blorp zzz"] == ["blorp zzz"]
    assert next(s for s in suggestions if s.text == "blorp zzz").count == 2
    assert "menu please" not in {s.text for s in suggestions}
    assert all(s.closest in EXAMPLES for s in suggestions)
    bigger = with_examples(data, {"menu": ["menu please", "the carte"], "parking": ["parking"]})
    assert bigger.intents["menu"] == [*EXAMPLES["menu"], "the carte"]
    assert bigger.intents["parking"] == ["parking"]
