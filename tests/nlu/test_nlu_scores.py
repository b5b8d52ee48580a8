"""Scores against the ``none`` class, and balanced class weights for the SVMs."""

from __future__ import annotations

import numpy as np

from workbench.nlu import train
from workbench.nlu._classifier import relative
from workbench.nlu._svm import balanced_weights


def test_scores_are_measured_against_the_none_class_when_there_is_one() -> None:
    decision = np.array([[1.0, 0.5, -1.0], [0.2, 0.4, 0.0]])
    assert relative(decision, -1) is decision
    shifted = relative(decision, 1)
    assert shifted.tolist() == [[0.5, 0.0, -1.5], [-0.2, 0.0, -0.4]]
    assert relative(decision[0], 1).tolist() == [0.5, 0.0, -1.5]


def test_balanced_weights_make_every_class_weigh_the_same() -> None:
    labels = np.array([0, 0, 0, 1, 2, 2], dtype=np.int64)
    weights = balanced_weights(labels, 4)
    assert weights.tolist() == [6 / 9, 6 / 3, 6 / 6, 1.0]  # class 3 has no example
    assert np.bincount(labels, weights=weights[labels]).tolist() == [2.0, 2.0, 2.0]


def test_a_none_class_still_wins_on_what_it_was_taught() -> None:
    examples = {
        "hours": ["when are you open", "opening hours", "what time do you close"],
        "order": ["I want a pizza", "order a pizza", "can I get a pizza"],
        "none": ["tell me a joke", "what is the weather", "who won the game"],
    }
    model = train(examples)
    assert model.parse("tell me a joke please").intent == "none"
    result = model.parse("when do you open")
    assert result.intent == "hours" and 0.0 <= result.confidence <= 1.0
    assert "none" not in {name for name, _ in result.intents}
