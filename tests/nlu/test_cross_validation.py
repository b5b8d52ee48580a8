"""Cross-validation of a bot's own intents: every example scored by a model that did not see it."""

from __future__ import annotations

import pytest

from workbench.nlu import CrossValidation, NLUData, cross_validate
from workbench.schema import plural

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


def test_print_gives_a_few_lines_and_a_notebook_a_table() -> None:
    cv = cross_validate(DATA, folds=3)
    lines = str(cv).splitlines()
    assert lines[0] == "3-fold cross-validation of 17 examples (threshold " + (
        f"{cv.threshold:.2f})"
    )
    assert lines[1].startswith("accuracy ") and "out of scope recall" in lines[1]
    assert lines[-1] == f"{plural(len(cv.mistakes()), 'mistake')}: cv.mistakes()"
    assert len(lines) == 4 and "when are you open" not in str(cv)  # no dump of the examples
    assert repr(cv).startswith("<CrossValidation 17 examples, 3 folds, accuracy ")
    page = cv._repr_html_()
    for intent in ("hours", "shipping", "none"):
        assert f"<code>{intent}</code>" in page
    assert str(cv.report).splitlines()[0] == "Intents scored on 17 examples"
    assert "<table>" in cv.report._repr_html_()


def test_counts_are_words() -> None:
    """One example, one fold, one mistake: singular."""
    cv = CrossValidation(["hi"], ["greet"], ["bye"], [0.9], [0.5], 0.5)
    assert str(cv).splitlines()[0] == "1-fold cross-validation of 1 example (threshold 0.50)"
    assert str(cv).splitlines()[-1] == "1 mistake: cv.mistakes()"
    assert "weakest intents: greet (0.00)" in str(cv)
    assert repr(cv) == "<CrossValidation 1 example, 1 fold, accuracy 0.0%>"
    assert "<b>1 mistake</b>" in cv._repr_html_()
