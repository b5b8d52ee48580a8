"""Building a bot in memory (as notebook cells do), editing it live, saving it as a folder."""

from __future__ import annotations

from pathlib import Path

import pytest

import workbench as wb
from tests.conftest import SAMPLE_BOTS

MAIN = """start: ask
nodes:
  ask:
    on_enter:
      - say: ask_name
    on_receive:
      - set: {user.name: "{{ text }}"}
      - do: shout
        args: {text: "{{ text }}"}
    next:
      - to: done
  done:
    on_enter:
      - say: {text: "Hi {{ user.name }} ({{ state.loud }})"}
    next: [{to: END}]
"""


def shout(ctx: wb.ActionContext) -> dict[str, object]:
    return {"loud": str(ctx.args["text"]).upper()}


def build() -> wb.Bot:
    bot = wb.Bot.new("cells")
    bot.set_content("ask_name", "What is your name?")
    bot.add_action(shout)
    bot.set_flow("main", MAIN)
    return bot


def test_a_bot_built_in_memory_talks() -> None:
    conv = build().conversation("u1")
    assert [r.text for r in conv.say("hello")] == ["What is your name?"]
    assert [r.text for r in conv.say("ada")] == ["Hi ada (ADA)"]
    assert conv.user == {"name": "ada"}


def test_a_new_bot_without_main_says_what_is_missing() -> None:
    bot = wb.Bot.new("empty")
    with pytest.raises(wb.BotError, match="has no 'main' flow yet"):
        bot.conversation().say("hi")


def test_a_broken_cell_keeps_the_running_bot_and_names_the_cell_line() -> None:
    bot = build()
    conv = bot.conversation("u1")
    conv.say("hello")
    broken = MAIN.replace("      - to: done", "      - when: state.x ==\n        to: done")
    with pytest.raises(wb.BotError) as info:
        bot.set_flow("main", broken, first_line=2, file="<cell>")
    assert str(info.value).startswith("<cell>:12: bad condition")  # YAML line 11, cell line 12
    # the previous version still runs the open conversation
    assert [r.text for r in conv.say("bo")] == ["Hi bo (BO)"]


def test_rerunning_a_cell_updates_the_live_bot_and_pins_running_sessions() -> None:
    bot = build()
    old = bot.conversation("u1")
    old.say("hello")
    bot.set_flow("main", MAIN.replace("Hi {{ user.name }}", "Hello {{ user.name }}"))
    assert [r.text for r in old.say("cy")] == ["Hi cy (CY)"]  # started on version 1
    new = bot.conversation("u2")
    new.say("hello")
    assert [r.text for r in new.say("di")] == ["Hello di (DI)"]


def test_an_unknown_reference_is_refused() -> None:
    bot = build()
    with pytest.raises(wb.BotError, match="unknown content element 'nope'"):
        bot.set_flow("main", MAIN.replace("say: ask_name", "say: nope"))
    with pytest.raises(wb.ContentError, match="content element 'bad'"):
        bot.set_content("bad", {"type": "choice", "text": "x"})


def test_save_writes_a_folder_that_loads_back_identically(tmp_path: Path) -> None:
    bot = build()
    bot.set_intents({"greet": ["hi", "hello"]}, {"size": {"large": ["big"]}})
    folder = bot.save(tmp_path / "cells")
    loaded = wb.Bot.load(folder, db="memory://")
    assert loaded.flows.version == bot.flows.version
    assert loaded.content.get("ask_name").fields == bot.content.get("ask_name").fields
    assert loaded.nlu.parse("hello there").intent == "greet"
    conv = loaded.conversation("u1")
    conv.say("hi")
    assert [r.text for r in conv.say("eve")] == ["Hi eve (EVE)"]
    assert '@action("shout")' in (folder / "actions.py").read_text()


@pytest.mark.parametrize("name", ["pizza", "support", "survey"])
def test_sample_bots_round_trip_through_save(name: str, tmp_path: Path) -> None:
    bot = wb.Bot.load(SAMPLE_BOTS / name, db="memory://")
    loaded = wb.Bot.load(bot.save(tmp_path / name), db="memory://")
    assert loaded.flows.version == bot.flows.version
    assert {e.id: e.fields for e in loaded.content} == {e.id: e.fields for e in bot.content}
    assert loaded.source.nlu == bot.source.nlu
    assert sorted(loaded.actions.actions) == sorted(bot.actions.actions)
