"""The conversation explorer: filters, a stored conversation as a chat, replay, save as test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.analytics.shop_kit import Played, played_shop
from workbench.notebook import ConversationExplorer


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[Played]:
    yield from played_shop(tmp_path)


def test_filters_find_the_conversations(shop: Played) -> None:
    explorer = ConversationExplorer(shop.bot)
    assert len(explorer.results.options) == 7
    explorer.outcome.value = "timeout"
    assert {c for _, c in explorer.results.options} == {
        c for c, (outcome, _) in shop.expected.items() if outcome == "timeout"
    }
    explorer.outcome.value = ""
    explorer.errors.value = "yes"
    assert len(explorer.found) == 2
    explorer.errors.value = ""
    explorer.reached.value = "main.thanks"
    assert len(explorer.found) == 1
    explorer.reached.value = ""
    explorer.intent.value = "greet"
    assert len(explorer.found) >= 1 and "conversations" in explorer.status.value


def test_a_conversation_reads_as_a_chat_with_its_paths(shop: Played) -> None:
    explorer = ConversationExplorer(shop.bot)
    asleep = next(c for c in shop.expected if c.startswith("asleep-"))
    explorer.results.value = asleep  # picking it in the list opens it
    assert [t.text for t in explorer.turns] == ["hello", "a lamp", None]
    assert [t.path for t in explorer.turns] == [["main.hello"], ["main.ask"], ["main.on_timeout"]]
    html = explorer.transcript.value
    assert "a lamp" in html and "→ main.ask" in html and "timeout" in html
    assert "Still there? Bye." in html
    burnt = next(c for c in shop.expected if c.startswith("burnt-"))
    explorer.open(burnt)
    assert explorer.turns[-1].error and "warehouse is on fire" in explorer.transcript.value


def test_replay_and_save_as_a_passing_test(shop: Played, tmp_path: Path) -> None:
    explorer = ConversationExplorer(shop.bot)
    ends = next(c for c, seen in shop.expected.items() if seen == ("end", "main.thanks"))
    explorer.open(ends)
    stored = len(shop.bot.store.events(shop.bot.name))
    emulator = explorer.replay()
    assert [t.user for t in emulator.turns] == ["hello", "a lamp", "done"]
    assert "same replies" in explorer.status.value
    assert len(shop.bot.store.events(shop.bot.name)) == stored  # the bot's store is untouched
    path = explorer.save_test(tmp_path / "replayed.convo.yml")
    assert "ended: true" in path.read_text()
    report = shop.bot.test([path])
    assert (report.passed, report.failed) == (1, 0)
    asleep = next(c for c in shop.expected if c.startswith("asleep-"))
    explorer.open(asleep)
    explorer.replay()
    assert [t.kind for t in explorer.emulator.turns] == ["message", "message", "timeout"]
    with pytest.raises(FileExistsError):
        explorer.save_test(path)
    explorer.save_path.value = str(path)
    explorer.save_button.click()  # a refused save is a message, not an exception
    assert "exists" in explorer.status.value
