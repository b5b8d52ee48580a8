"""The ``*.convo.yml`` format: conversations with expectations per turn."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, RootModel, model_validator

from workbench.config import LineDict, LineList, load_yaml, parse_yaml, validate


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class ReplySpec(_Strict):
    """An expected reply: exact ``text``, an ``element`` id, or a regex it ``matches``."""

    text: str | None = None
    element: str | None = None
    matches: str | None = None
    choices: list[str] | None = None
    type: str | None = None


class TurnSpec(_Strict):
    """One step: a user message, a timeout, or a new conversation; then what to expect."""

    user: str | None = None
    payload: dict[str, Any] | None = None
    timeout: bool = False
    new_conversation: bool = False
    bot: list[str | ReplySpec] | None = None
    node: str | None = None
    state: dict[str, Any] | None = None
    user_vars: dict[str, Any] | None = None
    ended: bool | None = None
    error: bool | str | None = None

    @model_validator(mode="after")
    def _one_action(self) -> TurnSpec:
        acts = [self.user is not None, self.timeout, self.new_conversation]
        if sum(acts) != 1:
            raise ValueError("a turn needs exactly one of 'user', 'timeout' or 'new_conversation'")
        return self


class ConvoSpec(_Strict):
    name: str = Field(min_length=1)
    user_id: str | None = None
    turns: list[TurnSpec] = Field(min_length=1)


class ConvoFile(RootModel[list[ConvoSpec]]):
    model_config = ConfigDict(defer_build=True)  # built on first validation, not on import


class ConvoTest:
    """A conversation test with where it was written (for reports)."""

    def __init__(self, spec: ConvoSpec, file: str, line: int, turn_lines: list[int]) -> None:
        self.spec = spec
        self.file = file
        self.line = line
        self.turn_lines = turn_lines

    @property
    def name(self) -> str:
        return self.spec.name


def load_convo_file(path: Path, display: str | None = None) -> list[ConvoTest]:
    """Read a ``.convo.yml``; errors raise BotError with ``file:line``."""
    file = display or str(path)
    return _convo_tests(load_yaml(path, file), file)


def load_convo_text(text: str, file: str, *, first_line: int = 1) -> list[ConvoTest]:
    """Conversation tests from ``.convo.yml`` text (a ``%%convo`` cell: ``file`` names it and
    ``first_line`` is the line its text starts on); errors raise BotError with ``file:line``."""
    return _convo_tests(parse_yaml(text, file, first_line=first_line), file)


def _convo_tests(raw: Any, file: str) -> list[ConvoTest]:
    if isinstance(raw, LineDict) and "conversations" in raw:
        raw = raw["conversations"]
    specs = validate(ConvoFile, raw or [], file).root
    tests = []
    for i, spec in enumerate(specs):
        item = raw[i] if isinstance(raw, LineList) else None
        line = raw.lines[i] if isinstance(raw, LineList) else 0
        turns = item.get("turns") if isinstance(item, LineDict) else None
        turn_lines = list(turns.lines) if isinstance(turns, LineList) else []
        tests.append(ConvoTest(spec, file, line, turn_lines))
    return tests
