"""Saving what was said in the emulator as a ``.convo.yml`` that ``workbench test`` passes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

import workbench as wb
from tests.conftest import SAMPLE_BOTS
from workbench.notebook._emulator import Emulator
from workbench.runtime import Bot
from workbench.testing import find_convo_files, load_convo_file, run_convo, run_folder_tests


def boom(ctx: wb.ActionContext) -> dict[str, object]:
    raise RuntimeError("no oven")


def passes(bot: Bot, path: Path) -> list[str]:
    failures: list[str] = []
    for test in load_convo_file(path):
        failures += run_convo(bot, test).failures
    return failures


def test_a_recorded_order_replays_against_the_same_bot(tmp_path: Path) -> None:
    bot = wb.Bot.load(SAMPLE_BOTS / "pizza", db="memory://")
    emu = Emulator(bot, user_id="ada")
    emu.send("hi")
    emu.click("Large")
    emu.send("ham and olives")
    emu.send("done")
    emu.click("yes")
    emu.send("1")  # a numbered answer: the card
    emu.send("4242")
    path = emu.save_convo(tmp_path / "tests" / "order.convo.yml", name="ada orders")
    data = yaml.safe_load(path.read_text())
    assert data[0]["name"] == "ada orders" and data[0]["user_id"] == "ada"
    turns = data[0]["turns"]
    assert turns[0] == {
        "user": "hi",
        "bot": [
            {"element": "greeting"},  # two variations: named by element
            {"text": "What size would you like?", "choices": ["Small", "Medium", "Large"]},
        ],
        "node": "main.ask_size",
    }
    assert turns[1]["user"] == "large"  # the clicked choice's value
    assert turns[-1]["ended"] is True and "node" not in turns[-1]
    assert turns[-1]["bot"] == [
        "Payment accepted (card).",
        "Thanks! Your large pizza is on its way. 🍕",
    ]
    assert passes(bot, path) == []


def test_resets_user_switches_timeouts_and_errors_replay_on_a_fresh_bot(tmp_path: Path) -> None:
    folder = tmp_path / "pizza"
    shutil.copytree(SAMPLE_BOTS / "pizza", folder, ignore=shutil.ignore_patterns(".workbench"))
    bot = wb.Bot.load(folder, db="memory://")
    bot.add_action(boom, "price_order")  # the confirm node now fails
    emu = Emulator(bot)
    emu.send("hi")
    emu.send("large")
    emu.reset()
    emu.send("a small pizza")
    emu.send("none")  # price_order raises: a turn error
    emu.timeout()  # no timeout node: the session ends
    emu.switch_user("bob")
    emu.send("cancel")
    path = emu.save_convo(folder / "tests" / "recorded.convo.yml")
    data = yaml.safe_load(path.read_text())
    assert [c["user_id"] for c in data] == ["notebook-user", "bob"]
    turns = data[0]["turns"]
    assert {"new_conversation": True} in turns
    error = next(t for t in turns if t.get("error"))
    assert error["user"] == "none" and error["node"] == "main.ask_toppings"
    assert error["bot"] == ["Oops, the oven jammed. Could you say that again?"]
    assert turns[-1] == {"timeout": True, "bot": [], "ended": True}
    assert passes(bot, path) == []
    # as `workbench test` runs it: a fresh bot and store, the folder's other tests included
    fresh = wb.Bot.load(folder, db="memory://")
    fresh.add_action(boom, "price_order")
    results = run_folder_tests(fresh, find_convo_files(folder), "pizza")
    recorded = [r for r in results if r.file.endswith("recorded.convo.yml")]
    assert len(recorded) == 2 and all(r.passed for r in recorded), recorded


def test_a_reset_done_in_code_still_replays(tmp_path: Path) -> None:
    bot = wb.Bot.load(SAMPLE_BOTS / "pizza", db="memory://")
    emu = Emulator(bot)
    emu.send("hi")
    bot.conversation(emu.conversation.user_id, emu.conversation.id).reset()
    emu.send("hello")
    path = emu.save_convo(tmp_path / "code.convo.yml")
    turns = yaml.safe_load(path.read_text())[0]["turns"]
    assert [next(iter(t)) for t in turns] == ["user", "new_conversation", "user"]
    assert passes(bot, path) == []


def test_save_refuses_to_overwrite_or_to_save_nothing(tmp_path: Path) -> None:
    bot = wb.Bot.load(SAMPLE_BOTS / "pizza", db="memory://")
    emu = Emulator(bot)
    with pytest.raises(ValueError, match="nothing to save"):
        emu.save_convo(tmp_path / "a.convo.yml")
    emu.send("hi")
    path = emu.save_convo(tmp_path / "a.convo.yml")
    with pytest.raises(FileExistsError):
        emu.save_convo(path)
    emu.send("large")
    emu.save_convo(path, overwrite=True)
    assert len(yaml.safe_load(path.read_text())[0]["turns"]) == 2
    with pytest.raises(ValueError, match=r"must end with \.convo\.yml"):
        emu.save_convo(tmp_path / "a.yml")


def test_the_save_button_writes_to_the_path_box(tmp_path: Path) -> None:
    bot = wb.Bot.load(SAMPLE_BOTS / "pizza", db="memory://")
    emu = Emulator(bot)
    assert emu.save_path.value.endswith("tests/recorded.convo.yml")
    emu.send("hi")
    emu.save_path.value = str(tmp_path / "ui.convo.yml")
    emu.save_button.click()
    assert (tmp_path / "ui.convo.yml").exists()
    assert "saved 1 turn as a conversation test" in str(emu.log.value)
    emu.save_button.click()  # exists: refused, shown in red
    assert "exists: pass overwrite=True" in str(emu.log.value)
