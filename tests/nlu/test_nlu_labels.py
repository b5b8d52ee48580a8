"""``train`` takes the labels real data sets use, and says which label is wrong."""

from __future__ import annotations

from typing import Any

import pytest

from workbench.nlu import train
from workbench.schema import BotError

EXAMPLES = {
    "Refund_not_showing_up": [
        "my refund is not showing up",
        "I still have not received my refund",
        "where is the refund you promised",
        "the refund has not arrived on my account",
        "refund missing from my statement",
        "no sign of my refund yet",
    ],
    "reverted_card_payment?": [
        "my card payment was reverted",
        "why was my card payment reversed",
        "the payment with my card got cancelled",
        "a card payment came back to my account",
        "my card payment bounced back",
        "card payment was returned",
    ],
    "Top Up (failed)": [
        "my top up failed",
        "I could not top up my account",
        "the top up did not go through",
        "topping up does not work",
        "why did my top up fail",
        "top up was declined",
    ],
}


def test_any_string_label_is_learnt_and_given_back_unchanged() -> None:
    model = train(EXAMPLES)
    texts = ["has my refund arrived", "my card payment got reversed", "top up failed again"]
    assert model.predict(texts) == list(EXAMPLES)
    assert model.parse("my refund is still not showing").intent == "Refund_not_showing_up"
    assert set(model.intents) == set(EXAMPLES)


@pytest.mark.parametrize("label", ["none", "None", "NONE"])
def test_none_in_any_case_is_the_out_of_scope_label(label: str) -> None:
    chat = ["my name is Sam", "nice weather today", "I like trains", "what is the time"]
    model = train({**EXAMPLES, label: chat})
    assert "none" not in model.intents and label not in model.intents
    assert model.parse("my name is Ada").intent == "none"


@pytest.mark.parametrize(
    ("examples", "message"),
    [
        ({**EXAMPLES, 3: ["three"]}, "intent label 3"),
        ({**EXAMPLES, "": ["empty"]}, "intent label ''"),
        ({**EXAMPLES, "   ": ["blank"]}, "intent label '   '"),
        ({**EXAMPLES, "greet": []}, "intent 'greet' has no examples"),
        ({**EXAMPLES, "greet": "hello"}, "intent 'greet': its examples must be a list"),
        ({**EXAMPLES, "greet": None}, "intent 'greet': its examples must be a list"),
        ({**EXAMPLES, "greet": ["hi", 7]}, "intent 'greet': example 7 is not a string"),
        ({**EXAMPLES, "Greet!": ["", "  ", "?!"]}, "intent 'Greet!': none of its examples"),
        ([("greet", ["hi"])], "examples must map each intent"),
    ],
)
def test_bad_input_is_a_value_error_naming_the_label(examples: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace("?", r"\?")) as info:
        train(examples)
    assert "validation error" not in str(info.value).lower()


def test_a_bots_intents_file_keeps_its_identifier_rule_with_file_and_line(tmp_path: Any) -> None:
    from workbench.runtime import Bot

    (tmp_path / "flows").mkdir()
    (tmp_path / "nlu").mkdir()
    (tmp_path / "bot.yml").write_text("name: labels\n")
    (tmp_path / "flows" / "main.flow.yml").write_text(
        "start: a\nnodes:\n  a:\n    on_enter: [{say: {text: hi}}]\n"
    )
    (tmp_path / "nlu" / "intents.yml").write_text(
        "intents:\n  greet:\n    - hello\n  Refund_not_showing_up:\n    - where is my refund\n"
    )
    with pytest.raises(BotError) as info:
        Bot.load(tmp_path, db="memory://")
    problem = info.value.problems[0]
    assert problem.file.endswith("nlu/intents.yml")
    assert problem.line == 4
