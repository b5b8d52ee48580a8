"""Cross-validation of a bot's own intents: every example scored by a model that did not see it."""

from __future__ import annotations

import pytest

from workbench.nlu import NLUData, cross_validate

DATA = NLUData.model_validate(
    {
        "intents": {
            "hours": [
                "when are you open",
                "opening hours",
                "what time do you close",
                "are you open on sunday",
                "business hours",
                "what are your hours",
            ],
            "shipping": [
                "how long does shipping take",
                "do you ship abroad",
                "delivery time",
                "when will my parcel arrive",
                "shipping costs",
                "do you deliver to france",
            ],
            "none": [
                "tell me a joke",
                "what's the weather",
                "I like turtles",
                "who won the game",
                "sing a song",
            ],
        }
    }
)


def test_every_example_is_scored_once_by_a_model_that_did_not_see_it() -> None:
    done: list[int] = []
    cv = cross_validate(DATA, folds=3, progress=lambda d, total: done.append(d))
    assert done == [1, 2, 3]
    assert sorted(cv.texts) == sorted(t for ts in DATA.intents.values() for t in ts)
    assert len(cv.thresholds) == 3 and 0.0 <= cv.threshold <= 1.0
    report = cv.report
    assert set(report.per_intent) == {"hours", "shipping", "none"}
    assert report.in_scope_accuracy is not None and report.in_scope_accuracy >= 0.5
    assert sum(map(sum, report.confusion)) == len(cv.texts)


def test_mistakes_are_the_wrong_predictions_least_confident_first() -> None:
    cv = cross_validate(DATA, folds=3)
    mistakes = cv.mistakes()
    wrong = sum(e != p for e, p in zip(cv.labels, cv.predicted, strict=True))
    assert len(mistakes) == wrong
    assert [m["confidence"] for m in mistakes] == sorted(m["confidence"] for m in mistakes)
    assert all(m["expected"] != m["predicted"] for m in mistakes)


def test_the_curve_trades_in_scope_accuracy_for_out_of_scope_recall() -> None:
    cv = cross_validate(DATA, folds=3, threshold=0.4)
    assert cv.threshold == 0.4
    curve = cv.curve()
    assert [p["threshold"] for p in curve][:3] == [0.0, 0.02, 0.04] and curve[-1]["threshold"] == 1
    recall = [p["oos_recall"] for p in curve]
    assert recall == sorted(recall)  # type: ignore[type-var]
    assert curve[-1]["oos_recall"] == 1.0 and curve[-1]["in_scope_accuracy"] == 0.0


def test_the_same_seed_gives_the_same_result() -> None:
    assert cross_validate(DATA, folds=3).predicted == cross_validate(DATA, folds=3).predicted


def test_fewer_than_two_folds_is_an_error() -> None:
    with pytest.raises(ValueError, match="at least 2 folds"):
        cross_validate(DATA, folds=1)
