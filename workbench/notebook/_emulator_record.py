"""The emulator's record of turns, and saving it as a ``.convo.yml`` conversation test."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from workbench.runtime import Bot, TurnTrace
from workbench.schema import Reply

TIMEOUT_LABEL = "(timeout)"


@dataclass(frozen=True)
class Turn:
    """One turn seen by the emulator (its own, or one run in code on the same conversation).

    ``user`` is the text that was sent (``"(timeout)"`` for a timeout); ``shown`` is what the
    chat bubble showed (a choice's title when a quick reply was clicked).
    """

    number: int
    kind: str
    user: str
    shown: str
    user_id: str
    conversation_id: str
    replies: tuple[Reply, ...]
    trace: TurnTrace = field(repr=False)
    payload: dict[str, Any] | None = None
    language: str = ""

    @property
    def node(self) -> str | None:
        """Where the conversation waits after the turn (None when the session ended)."""
        return self.trace.node_after

    @property
    def state(self) -> dict[str, Any]:
        return dict(self.trace.state_after)

    @property
    def error(self) -> str | None:
        return self.trace.error

    @property
    def ended(self) -> bool:
        return self.trace.ended

    @property
    def path(self) -> list[str]:
        """The nodes entered during the turn, in order."""
        return self.trace.path


class _ConvoDumper(yaml.SafeDumper):
    """Safe YAML with short lists of plain values inline (``choices: [Small, Large]``)."""


def _list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    inline = all(isinstance(v, str | int | float | bool) for v in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=inline or None)


_ConvoDumper.add_representer(list, _list)


def varies(bot: Bot, element_id: str) -> bool:
    """Whether a content element has several text variations (a test must name the element)."""
    if not element_id or element_id not in bot.program.content:
        return False
    text = bot.program.content.get(element_id).fields.get("text")
    return isinstance(text, list) and len(text) > 1


def expected_reply(reply: Reply, bot: Bot) -> str | dict[str, Any]:
    """How a ``.convo.yml`` expects this reply: its exact text, or its element if it varies."""
    spec: dict[str, Any] = (
        {"element": reply.element} if varies(bot, reply.element) else {"text": reply.text}
    )
    if reply.choices:
        spec["choices"] = [c.title for c in reply.choices]
    if reply.type not in ("text", "choice"):
        spec["type"] = reply.type
    if list(spec) == ["text"]:
        return reply.text
    return spec


def turn_spec(turn: Turn, bot: Bot) -> dict[str, Any]:
    """One ``turns:`` entry: what was sent, the replies, where it waits, how it ended."""
    spec: dict[str, Any] = {"timeout": True} if turn.kind == "timeout" else {"user": turn.user}
    if turn.payload:
        spec["payload"] = turn.payload
    spec["bot"] = [expected_reply(r, bot) for r in turn.replies]
    if turn.node is not None:
        spec["node"] = turn.node
    if turn.ended:
        spec["ended"] = True
    if turn.error:
        spec["error"] = True
    return spec


def _segments(turns: Iterable[Turn]) -> list[list[Turn]]:
    """Consecutive turns of one user (a user switch starts a new conversation test)."""
    segments: list[list[Turn]] = []
    for turn in turns:
        if not segments or segments[-1][-1].user_id != turn.user_id:
            segments.append([])
        segments[-1].append(turn)
    return segments


def _starts_over(before: Turn, turn: Turn) -> bool:
    """Whether ``turn`` began a new conversation or a reset session (not a natural restart)."""
    if turn.conversation_id != before.conversation_id:
        return True
    return before.node is not None and turn.trace.node_before is None


def convo_specs(turns: Sequence[Turn], bot: Bot, name: str) -> list[dict[str, Any]]:
    """The conversations of a recording, in the ``.convo.yml`` shape (one per user stretch)."""
    specs: list[dict[str, Any]] = []
    for i, segment in enumerate(_segments(turns)):
        entries: list[dict[str, Any]] = []
        for j, turn in enumerate(segment):
            if j and _starts_over(segment[j - 1], turn):
                entries.append({"new_conversation": True})
            entries.append(turn_spec(turn, bot))
        label = name if i == 0 else f"{name} ({i + 1})"
        specs.append({"name": label, "user_id": segment[0].user_id, "turns": entries})
    return specs


def write_convo(
    path: str | Path,
    turns: Sequence[Turn],
    bot: Bot,
    name: str,
    *,
    overwrite: bool = False,
) -> Path:
    """Write the recording as a ``.convo.yml``; refuses to replace a file unless told to."""
    target = Path(path)
    if not turns:
        raise ValueError("nothing to save: the emulator has not recorded any turn yet")
    if not target.name.endswith(".convo.yml"):
        raise ValueError(f"{target}: a conversation test file must end with .convo.yml")
    if target.exists() and not overwrite:
        raise FileExistsError(f"{target} exists: pass overwrite=True to replace it")
    text = yaml.dump(
        convo_specs(turns, bot, name),
        Dumper=_ConvoDumper,
        sort_keys=False,
        allow_unicode=True,
        width=1000,
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target
