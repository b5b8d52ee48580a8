"""Bots use the trained engine: trained on load, read from the cache after, settings apply."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import workbench as wb
from workbench.nlu import NLUModel
from workbench.nlu._deferred import DeferredModel, EntitiesOnly

REPO = Path(__file__).resolve().parents[2]
FLOW = """\
start: listen
nodes:
  listen:
    next:
      - when: intent == "order"
        to: ordered
      - to: unknown
  ordered:
    on_enter:
      - say: {text: "order ({{ entities.size or 'no size' }})"}
    next: [{to: END}]
  unknown:
    on_enter:
      - say: {text: "not understood"}
    next: [{to: END}]
"""
INTENTS = """\
intents:
  order:
    - I want a pizza
    - order a [large](size) pizza
    - can I get a [small](size) pizza
    - a pizza please
    - I'd like to order a pizza
  greet:
    - hi
    - hello
    - good morning
    - hey there
  none:
    - what's the weather like
    - tell me a joke
    - who is the president
entities:
  size:
    small: [little]
    large: [big]
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    bot = tmp_path / "shop"
    (bot / "flows").mkdir(parents=True)
    (bot / "nlu").mkdir()
    (bot / "bot.yml").write_text("name: shop\n")
    (bot / "flows" / "main.flow.yml").write_text(FLOW)
    (bot / "nlu" / "intents.yml").write_text(INTENTS)
    return bot


def test_a_bot_trains_on_load_and_reads_its_cached_model_later(folder: Path) -> None:
    first = wb.Bot.load(folder, db="memory://")
    assert isinstance(first.nlu, NLUModel)
    assert list((folder / ".workbench" / "nlu-cache").glob("default-*.npz"))
    assert first.conversation("a").say("order a big pizza")[0].text == "order (large)"

    second = wb.Bot.load(folder, db="memory://")
    assert isinstance(second.nlu, DeferredModel) and not second.nlu.loaded
    assert second.conversation("b").say("order a big pizza")[0].text == "order (large)"
    assert second.nlu.loaded
    assert second.conversation("c").say("tell me a joke please")[0].text == "not understood"


def test_changed_intents_train_a_new_model(folder: Path) -> None:
    bot = wb.Bot.load(folder, db="memory://")
    assert bot.conversation("a").say("gimme food")[0].text == "not understood"
    bot.set_intents({"order": ["gimme food", "food please", "I am hungry"], "greet": ["hi"]})
    assert bot.conversation("b").say("gimme food")[0].text.startswith("order")


def test_a_threshold_in_bot_yml_overrides_the_calibrated_one(folder: Path) -> None:
    (folder / "bot.yml").write_text("name: shop\nnlu:\n  threshold: 1.0\n")
    bot = wb.Bot.load(folder, db="memory://")
    assert bot.nlu.threshold == 1.0  # type: ignore[attr-defined]
    assert bot.conversation("a").say("pizza")[0].text == "not understood"


def test_a_bot_without_intents_still_finds_entities() -> None:
    bot = wb.Bot.new("plain")
    bot.set_intents({}, {"size": {"large": ["big"]}})
    assert isinstance(bot.nlu, EntitiesOnly)
    result = bot.nlu.parse("a big one and 2 more")
    assert result.intent == "none"
    assert {(e.type, e.value) for e in result.entities} >= {("size", "large")}


def test_loading_a_bot_with_a_cached_model_imports_no_numpy(folder: Path) -> None:
    """Bot.load stays fast: numpy and scipy load with the first message, not before."""
    wb.Bot.load(folder, db="memory://")  # trains and writes the cache
    code = (
        "import sys, workbench as wb\n"
        f"bot = wb.Bot.load({str(folder)!r}, db='memory://')\n"
        "print('numpy' in sys.modules, 'scipy' in sys.modules)\n"
        "print(bot.conversation('x').say('order a small pizza')[0].text)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    ).stdout.splitlines()
    assert out == ["False False", "order (small)"]


def test_the_support_bot_tells_faqs_from_out_of_scope(tmp_path: Path) -> None:
    support = shutil.copytree(
        REPO / "sample_bots" / "support",
        tmp_path / "support",
        ignore=shutil.ignore_patterns(".workbench"),
    )
    bot = wb.Bot.load(support, db="memory://")
    assert isinstance(bot.nlu, NLUModel)
    assert bot.nlu.parse("when do you open on saturday").intent == "faq_hours"
    assert bot.nlu.parse("tell me a joke").intent == "none"


def test_a_damaged_cache_file_is_retrained_not_an_error_on_every_message(folder: Path) -> None:
    wb.Bot.load(folder, db="memory://")
    for cached in (folder / ".workbench" / "nlu-cache").glob("default-*.npz"):
        cached.write_bytes(b"")  # truncated by a crash
    bot = wb.Bot.load(folder, db="memory://")
    assert bot.conversation("a").say("order a big pizza")[0].text == "order (large)"
    assert bot.conversation("b").say("order a small pizza")[0].text == "order (small)"


def test_examples_that_cannot_be_trained_are_a_bot_error_and_the_bot_keeps_its_model() -> None:
    bot = wb.Bot.new("shop")
    bot.set_intents({"greet": ["hi", "hello"], "bye": ["bye", "see you"]})
    with pytest.raises(wb.BotError, match=r"intents\.yml:1: the NLU model cannot be trained"):
        bot.set_intents({"thumbs": ["👍"], "wave": ["👋"]})
    assert set(bot.source.nlu.intents) == {"greet", "bye"}
    assert bot.nlu.parse("hello").intent == "greet"
