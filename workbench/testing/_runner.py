"""Running conversation tests against a bot, reporting readable failures."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.runtime import Bot, Conversation
from workbench.schema import Reply
from workbench.testing._spec import ConvoTest, ReplySpec, TurnSpec, load_convo_file


@dataclass
class ConvoResult:
    """The outcome of one conversation test."""

    name: str
    file: str
    line: int
    failures: list[str] = field(default_factory=list)
    turns: int = 0

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


def _norm(text: str) -> str:
    return " ".join(text.split())


def _describe(reply: Reply) -> str:
    titles = f" {[c.title for c in reply.choices]}" if reply.choices else ""
    return f"{reply.text!r}{titles}"


def reply_mismatch(expected: str | ReplySpec, reply: Reply, bot: Bot) -> str | None:
    """Why ``reply`` does not meet ``expected`` (None when it does)."""
    spec = ReplySpec(text=expected) if isinstance(expected, str) else expected
    if spec.text is not None and _norm(spec.text) != _norm(reply.text):
        return f"expected {spec.text!r}, got {_describe(reply)}"
    if spec.element is not None and reply.element != spec.element:
        return f"expected element {spec.element!r}, got {_describe(reply)}" + (
            f" (element {reply.element!r})" if reply.element else ""
        )
    if spec.matches is not None and not re.search(spec.matches, reply.text):
        return f"expected text matching /{spec.matches}/, got {_describe(reply)}"
    if spec.choices is not None and [c.title for c in reply.choices] != spec.choices:
        return f"expected choices {spec.choices}, got {[c.title for c in reply.choices]}"
    if spec.type is not None and reply.type != spec.type:
        return f"expected a {spec.type} reply, got a {reply.type} reply"
    return None


def _subset_mismatch(label: str, expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    return [
        f"{label}.{k}: expected {v!r}, got {actual.get(k)!r}"
        for k, v in expected.items()
        if actual.get(k) != v
    ]


def check_turn(turn: TurnSpec, replies: list[Reply], conv: Conversation) -> list[str]:
    """Every expectation of ``turn`` that the conversation did not meet."""
    problems: list[str] = []
    if turn.bot is not None:
        for i, expected in enumerate(turn.bot):
            if i >= len(replies):
                problems.append(f"reply {i + 1}: expected {expected!r}, got nothing")
                continue
            why = reply_mismatch(expected, replies[i], conv.bot)
            if why:
                problems.append(f"reply {i + 1}: {why}")
        for extra in replies[len(turn.bot) :]:
            problems.append(f"unexpected reply {_describe(extra)}")
    error = conv.last_error
    if turn.error is None or turn.error is False:
        if error:
            problems.append(f"turn error: {error}")
    elif not error:
        problems.append("expected a turn error, the turn succeeded")
    elif isinstance(turn.error, str) and turn.error not in error:
        problems.append(f"expected a turn error containing {turn.error!r}, got {error!r}")
    if turn.node is not None and conv.node != turn.node:
        problems.append(f"expected to wait at {turn.node}, waits at {conv.node}")
    if turn.ended is not None and (conv.node is None) != turn.ended:
        problems.append(
            "expected the session to end"
            if turn.ended
            else f"the session ended (expected it to go on at {turn.node or 'a node'})"
        )
    if turn.state is not None:
        problems += _subset_mismatch("state", turn.state, conv.state)
    if turn.user_vars is not None:
        problems += _subset_mismatch("user", turn.user_vars, conv.user)
    return problems


def run_convo(bot: Bot, test: ConvoTest) -> ConvoResult:
    """Play one conversation test; every failing expectation names its turn and line."""
    result = ConvoResult(test.name, test.file, test.line)
    user_id = test.spec.user_id or f"test-{uuid.uuid4().hex[:8]}"
    conv = bot.conversation(user_id=user_id)
    for i, turn in enumerate(test.spec.turns):
        line = test.turn_lines[i] if i < len(test.turn_lines) else test.line
        if turn.new_conversation:
            conv = bot.conversation(user_id=user_id)
            continue
        if turn.timeout:
            replies, said = conv.timeout(), "(timeout)"
        else:
            replies, said = conv.say(turn.user or "", turn.payload), repr(turn.user)
        result.turns += 1
        for problem in check_turn(turn, replies, conv):
            result.failures.append(f"{test.file}:{line}: turn {i + 1} {said}: {problem}")
    return result


def find_convo_files(folder: Path) -> list[Path]:
    return sorted((folder / "tests").glob("*.convo.yml"))


def run_folder_tests(bot: Bot, files: Iterable[Path], display: str) -> list[ConvoResult]:
    results = []
    for path in files:
        for test in load_convo_file(path, f"{display}/tests/{path.name}"):
            results.append(run_convo(bot, test))
    return results
