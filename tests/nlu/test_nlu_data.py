"""The ``nlu/intents.yml`` format: list entities (short and full form), regex entities."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.nlu import NLUData, load_nlu_data, parse_utterance
from workbench.schema import BotError


def test_short_forms_stay_list_entities() -> None:
    data = NLUData.model_validate(
        {"entities": {"size": {"small": ["sm"], "large": None}, "topping": ["cheese", "ham"]}}
    )
    assert data.entities == {
        "size": {"small": ["sm"], "large": []},
        "topping": {"cheese": [], "ham": []},
    }
    assert data.regexes == {} and data.fuzziness("size") == 0.85


def test_regex_and_full_form_entities_are_split_out_and_dumped_back() -> None:
    raw = {
        "intents": {"order": ["order a [large](size) pizza"]},
        "entities": {
            "city": {"values": {"paris": ["paname"]}, "fuzzy": False},
            "order_id": {"regex": "#?(\\d{5})"},
            "values": {"values": ["x"]},  # a value named "values" with a synonym: short form
        },
    }
    data = NLUData.model_validate(raw)
    assert data.entities == {"city": {"paris": ["paname"]}, "values": {"values": ["x"]}}
    assert data.regexes == {"order_id": "#?(\\d{5})"}
    assert data.fuzziness("city") == 0.0
    dumped = data.model_dump(mode="json", exclude_defaults=True)
    assert dumped["entities"]["order_id"] == {"regex": "#?(\\d{5})"}
    assert dumped["entities"]["city"] == {"values": {"paris": ["paname"]}, "fuzzy": 0.0}
    assert NLUData.model_validate(dumped) == data
    assert NLUData().model_dump(mode="json", exclude_defaults=True) == {}


def test_a_bad_regex_is_a_bot_error_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "nlu").mkdir()
    (tmp_path / "nlu" / "intents.yml").write_text(
        "intents:\n  hi: [hello]\nentities:\n  code:\n    regex: '(('\n"
    )
    with pytest.raises(BotError) as caught:
        load_nlu_data(tmp_path, "bot")
    assert "bot/nlu/intents.yml" in str(caught.value)
    assert "bad regex" in str(caught.value)


def test_a_regex_entity_takes_no_other_keys() -> None:
    with pytest.raises(ValueError, match="only `regex`"):
        NLUData.model_validate({"entities": {"code": {"regex": "x", "fuzzy": 0.5}}})


def test_fuzzy_must_be_a_share() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        NLUData.model_validate({"entities": {"city": {"values": {"a": []}, "fuzzy": 3}}})


def test_annotated_slots_are_parsed_out_of_utterances() -> None:
    utterance = parse_utterance("order a [large](size) pizza with [ham](topping)")
    assert utterance.text == "order a large pizza with ham"
    assert [(s.name, utterance.text[s.start : s.end]) for s in utterance.slots] == [
        ("size", "large"),
        ("topping", "ham"),
    ]
    assert parse_utterance("a [note](Not A Slot) stays").text == "a [note](Not A Slot) stays"
