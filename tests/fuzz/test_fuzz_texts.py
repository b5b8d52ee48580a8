"""Hostile user texts on every store: ``conv.say`` answers, the transcript keeps the message.

One normalisation at the edge (:func:`workbench.schema.storable_text`: lone surrogates and NUL
become U+FFFD) makes every store keep the same text; a value a turn cannot store (an integer of
5,000 digits made by ``set``) is a turn error with a ``turn_error`` row, never an exception.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fuzz_kit import FIXED_TEXTS, cases, random_text, rng

import workbench as wb
from tests.conftest import SAMPLE_BOTS, write_bot
from tests.stores.conftest import delete_bot_rows
from workbench.schema import storable_text

ECHO = """\
start: listen
nodes:
  listen:
    on_enter:
      - say: {text: "you said: {{ text }}"}
      - set: {last: "{{ text }}", user.last: "{{ text }}"}
      - set: {big: "{{ 10 ** 5000 if text == 'make it big' else 0 }}"}
    on_receive: []
    next: [{to: listen}]
"""
STORES = ["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=STORES)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "memory":
        yield "memory://"
    elif request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fuzz.db'}"
    else:
        url = str(request.getfixturevalue("pg_url"))
        yield url


def _texts(name: str) -> list[str]:
    rand = rng(name)
    return FIXED_TEXTS + [random_text(rand) for _ in range(cases(60))]


def _named(folder: Path) -> Path:
    """The folder with a bot name no other test uses: the tests share the PostgreSQL database."""
    settings = folder / "bot.yml"
    text = settings.read_text(encoding="utf-8").split("\n", 1)[1]
    settings.write_text(f"name: fuzz-{uuid.uuid4().hex}\n{text}", encoding="utf-8")
    return folder


def _echo(tmp_path: Path, db: str) -> wb.Bot:
    folder = write_bot(tmp_path / "echo", {"flows/main.flow.yml": ECHO}, "echo")
    return wb.Bot.load(_named(folder), db=db)


def test_hostile_texts_are_answered_and_kept(tmp_path: Path, db: str) -> None:
    bot = _echo(tmp_path, db)
    try:
        texts = _texts("echo")
        conv = bot.conversation(user_id="fuzz \ud800 user\x00")
        for text in texts:
            replies = conv.say(text)
            assert conv.last_error is None, (text[:40], conv.last_error)
            assert [r.text for r in replies] == [f"you said: {storable_text(text)}"]
        kept = [e.text for e in conv.events if e.type == "user"]
        assert kept == [storable_text(t) for t in texts]
        assert conv.state["last"] == storable_text(texts[-1])
        assert conv.user["last"] == storable_text(texts[-1])
    finally:
        _cleanup(bot, db)


def test_hostile_texts_through_nlu_and_slots(tmp_path: Path, db: str) -> None:
    folder = tmp_path / "pizza"
    shutil.copytree(SAMPLE_BOTS / "pizza", folder, ignore=shutil.ignore_patterns(".workbench"))
    bot = wb.Bot.load(_named(folder), db=db)
    try:
        texts = _texts("pizza")
        for i, text in enumerate(texts):
            conv = bot.conversation(user_id=f"u{i % 5}", conversation_id=f"c{i % 7}")
            assert conv.say(text), text[:40]
        kept = [e.text for e in bot.events() if e.type == "user"]
        assert sorted(kept) == sorted(storable_text(t) for t in texts)
    finally:
        _cleanup(bot, db)


def test_a_value_that_cannot_be_stored_is_a_turn_error(tmp_path: Path, db: str) -> None:
    bot = _echo(tmp_path, db)
    try:
        conv = bot.conversation()
        conv.say("hello")
        replies = conv.say("make it big")
        assert [r.text for r in replies] == [wb.runtime.DEFAULT_TURN_ERROR]
        assert conv.last_error is not None
        assert conv.last_error.startswith("cannot store the value of state.big:")
        assert len(conv.last_error) < 200
        kinds = [(e.type, e.text) for e in conv.events][-3:]
        assert kinds[0] == ("user", "make it big")
        assert kinds[1][0] == "turn_error"
        assert conv.state["last"] == "hello"  # rolled back to before the turn
        assert [r.text for r in conv.say("again")] == ["you said: again"]
    finally:
        _cleanup(bot, db)


def test_a_payload_that_cannot_be_stored_is_a_turn_error(tmp_path: Path, db: str) -> None:
    bot = _echo(tmp_path, db)
    try:
        conv = bot.conversation()
        replies = conv.say("hi", payload={"n": 10**5000})
        assert [r.text for r in replies] == [wb.runtime.DEFAULT_TURN_ERROR]
        assert conv.last_error is not None and "payload" in conv.last_error
        user = [e for e in conv.events if e.type == "user"]
        assert [e.text for e in user] == ["hi"]
    finally:
        _cleanup(bot, db)


def _cleanup(bot: wb.Bot, db: str) -> None:
    bot.store.close()
    if db.startswith("postgresql"):
        delete_bot_rows(db, bot.name)
