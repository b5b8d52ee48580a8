"""Conversation and user ids: text only, said plainly when they are not; cleaned like messages."""

from __future__ import annotations

from pathlib import Path

import pytest

import workbench as wb
from tests.conftest import SAMPLE_BOTS


@pytest.fixture(scope="module")
def pizza() -> wb.Bot:
    return wb.Bot.load(SAMPLE_BOTS / "pizza", db="memory://")


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        ({"user_id": 5}, "user_id must be text, got int"),
        ({"conversation_id": 7}, "conversation_id"),
    ],
)
def test_an_id_that_is_not_text_is_named(
    pizza: wb.Bot, arguments: dict[str, object], named: str
) -> None:
    with pytest.raises(TypeError, match=named):
        pizza.conversation(**arguments)  # type: ignore[arg-type]


def test_a_message_id_with_what_no_store_keeps_is_cleaned(tmp_path: Path) -> None:
    bot = wb.Bot.load(SAMPLE_BOTS / "pizza", db=f"sqlite:///{tmp_path}/wb.db")
    conversation = bot.conversation("u1", "c1")
    first = conversation.say("hi", message_id="m\x00\ud800")
    again = conversation.say("hi", message_id="m\x00\ud800")
    assert [r.text for r in again] == [r.text for r in first]
    assert [e.type for e in conversation.events].count("user") == 1
