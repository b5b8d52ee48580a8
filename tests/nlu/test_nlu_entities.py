"""Rule entities: lists (exact, then fuzzy), regexes, and the system entity ``number``."""

from __future__ import annotations

from workbench.nlu import NLUData
from workbench.nlu._entities import EntityMatcher
from workbench.nlu._numbers import find_numbers

DATA = NLUData.model_validate(
    {
        "entities": {
            "size": {"small": ["little"], "large": ["big", "extra large"]},
            "topping": ["cheese", "ham", "mushrooms"],
            "city": {"values": {"san francisco": ["sf"]}, "fuzzy": 0.8},
            "exact": {"values": {"pepperoni": []}, "fuzzy": False},
            "order_id": {"regex": "#(\\d{5})"},
        }
    }
)
MATCHER = EntityMatcher(DATA)


def found(text: str) -> list[tuple[str, object, str]]:
    return [(e.type, e.value, e.text) for e in MATCHER.find(text)]


def test_exact_matches_are_case_insensitive_whole_words_longest_first() -> None:
    assert found("A BIG pizza, extra large, not smallish") == [
        ("size", "large", "BIG"),
        ("size", "large", "extra large"),
    ]
    entity = MATCHER.find("a big one")[0]
    assert (entity.start, entity.end, entity.confidence) == (2, 5, 1.0)


def test_fuzzy_matches_carry_their_similarity() -> None:
    entities = MATCHER.find("mushroms and chese to san fransisco")
    assert [(e.type, e.value, e.text) for e in entities] == [
        ("topping", "mushrooms", "mushroms"),
        ("topping", "cheese", "chese"),
        ("city", "san francisco", "san fransisco"),
    ]
    assert all(0.8 <= e.confidence < 1.0 for e in entities)


def test_short_words_and_fuzzy_false_entities_match_exactly_only() -> None:
    assert found("I had peperoni") == []
    assert found("ham please") == [("topping", "ham", "ham")]


def test_regex_entities_take_their_first_group_as_value() -> None:
    assert found("where is #12345?") == [
        ("order_id", "12345", "#12345"),
        ("number", 12345, "12345"),
    ]


def test_numbers_in_digits_and_words() -> None:
    values = [(e.value, e.text) for e in find_numbers("order 12345 for 2.5 kg, not v2, 1,000")]
    assert values == [(12345, "12345"), (2.5, "2.5"), (1000, "1,000")]
    words = "twenty-five, a hundred and two, three thousand five hundred, five six, a dozen"
    assert [e.value for e in find_numbers(words)] == [25, 102, 3500, 5, 6, 12]
    assert [e.text for e in find_numbers("I want 2.")] == ["2"]


def test_a_run_of_thousands_of_digits_is_not_a_number_and_no_crash() -> None:
    """Python refuses to read an integer of more than 4,300 digits: a message made of such a
    run (or holding one) must not crash the parse."""
    card = "4242424242424242"
    assert [e.value for e in find_numbers(card)] == [int(card)]
    assert find_numbers("9" * 5000) == []
    assert [e.value for e in find_numbers(f"{'7' * 5000} and 12")] == [12]
    assert [e.value for e in find_numbers("1" * 300)] == [int("1" * 300)]
