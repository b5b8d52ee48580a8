"""The minimal recogniser: good enough for the sample bots, honest about what it does not know."""

from __future__ import annotations

from workbench.nlu import NLUData, SimpleRecognizer

DATA = NLUData.model_validate(
    {
        "intents": {
            "order": ["I want a pizza", "order a pizza", "can I get a pizza"],
            "cancel": ["cancel", "cancel my order", "forget it"],
            "hours": ["when are you open", "opening hours"],
        },
        "entities": {
            "size": {"small": ["little"], "large": ["big", "extra large"]},
            "topping": ["cheese", "ham"],
        },
    }
)
NLU = SimpleRecognizer(DATA, threshold=0.5)


def test_close_utterances_get_their_intent_with_high_confidence() -> None:
    result = NLU.parse("I want a pizza")
    assert result.intent == "order"
    assert result.confidence == 1.0
    assert NLU.parse("please cancel my order").intent == "cancel"
    assert NLU.parse("what are your opening hours?").intent == "hours"


def test_ranked_intents_are_sorted_and_bounded() -> None:
    ranked = NLU.parse("cancel the pizza order").intents
    scores = [score for _, score in ranked]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)


def test_unrelated_text_is_none() -> None:
    result = NLU.parse("the weather on mars")
    assert result.intent == "none"
    assert result.confidence < 0.5


def test_list_entities_with_synonyms_and_spans() -> None:
    text = "A BIG pizza with ham and cheese"
    result = NLU.parse(text)
    found = [(e.type, e.value, e.text, e.start, e.end) for e in result.entities]
    assert found == [
        ("size", "large", "BIG", 2, 5),
        ("topping", "ham", "ham", 17, 20),
        ("topping", "cheese", "cheese", 25, 31),
    ]
    assert result.entity_values() == {"size": "large", "topping": "ham"}


def test_longest_synonym_wins_and_words_must_be_whole() -> None:
    values = [(e.type, e.value, e.text) for e in NLU.entities("extra large, not smallish")]
    assert values == [("size", "large", "extra large")]


def test_numbers_are_a_system_entity() -> None:
    numbers = [(e.value, e.text) for e in NLU.entities("order 12345 for 2.5 kg, not v2")]
    assert numbers == [(12345, "12345"), (2.5, "2.5")]


def test_no_data_understands_nothing() -> None:
    empty = SimpleRecognizer(NLUData())
    result = empty.parse("hello")
    assert (result.intent, result.confidence, result.entities) == ("none", 0.0, ())
