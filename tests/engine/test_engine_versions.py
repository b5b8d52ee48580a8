"""Sessions are pinned to the flow version they started on."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from engine_kit import texts, write_bot

import workbench as wb

V1 = """
    start: ask
    nodes:
      ask:
        on_enter: [{say: {text: "v1 question"}}]
        on_receive: []
        next: [{to: answer}]
      answer:
        on_enter: [{say: {text: "v1 answer"}}]
        on_receive: []
        next: [{to: END}]
"""

V2 = """
    start: ask
    nodes:
      ask:
        on_enter: [{say: {text: "v2 question"}}]
        on_receive: []
        next: [{to: reply}]
      reply:
        on_enter: [{say: {text: "v2 reply"}}]
        on_receive: []
        next: [{to: END}]
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_bot(tmp_path / "bot", {"main": V1})


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path}/wb.db"


def test_session_keeps_running_the_version_it_started_on(folder: Path, db: str) -> None:
    v1 = wb.Bot.load(folder, db=db)
    old = v1.conversation(user_id="u1")
    assert texts(old.say("hi")) == ["v1 question"]

    write_bot(folder, {"main": V2})
    v2 = wb.Bot.load(folder, db=db)
    assert v2.flows.version != v1.flows.version
    resumed = v2.conversation(user_id="u1", conversation_id=old.id)
    assert resumed.node == "main.ask"
    # main.answer no longer exists in version 2, the session still goes there
    assert texts(resumed.say("x")) == ["v1 answer"]
    assert resumed.node == "main.answer"
    assert resumed.last_error is None


def test_new_conversation_gets_the_new_version(folder: Path, db: str) -> None:
    v1 = wb.Bot.load(folder, db=db)
    v1.conversation(user_id="u1").say("hi")

    write_bot(folder, {"main": V2})
    v2 = wb.Bot.load(folder, db=db)
    new = v2.conversation(user_id="u2")
    assert texts(new.say("hi")) == ["v2 question"]
    assert texts(new.say("x")) == ["v2 reply"]


def test_pinned_conversation_gets_the_new_version_at_its_next_session(
    folder: Path, db: str
) -> None:
    v1 = wb.Bot.load(folder, db=db)
    conv = v1.conversation(user_id="u1")
    conv.say("hi")

    write_bot(folder, {"main": V2})
    v2 = wb.Bot.load(folder, db=db)
    same = v2.conversation(user_id="u1", conversation_id=conv.id)
    assert texts(same.say("x")) == ["v1 answer"]
    same.say("y")
    assert same.node is None
    assert texts(same.say("hello")) == ["v2 question"]


def test_session_started_on_a_newer_version_runs_it_on_an_older_bot(folder: Path, db: str) -> None:
    v1 = wb.Bot.load(folder, db=db)
    write_bot(folder, {"main": V2})
    v2 = wb.Bot.load(folder, db=db)
    conv = v2.conversation(user_id="u1")
    conv.say("hi")
    assert texts(v1.conversation(user_id="u1", conversation_id=conv.id).say("x")) == ["v2 reply"]


def test_timeout_of_a_pinned_session_uses_its_version(folder: Path, db: str) -> None:
    v1_flow = textwrap.dedent(V1) + "  timeout:\n    on_enter: [{say: {text: v1 timeout}}]\n"
    write_bot(folder, {"main": v1_flow})
    v1 = wb.Bot.load(folder, db=db)
    conv = v1.conversation(user_id="u1")
    conv.say("hi")

    write_bot(folder, {"main": V2})
    v2 = wb.Bot.load(folder, db=db)
    assert texts(v2.conversation(user_id="u1", conversation_id=conv.id).timeout()) == ["v1 timeout"]
