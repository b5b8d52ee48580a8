"""A stored conversation, turn by turn, from its transcript rows: what the user did (a message
or a timeout), the nodes the turn went through, the replies, the turn error; shown as a chat."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from workbench.notebook._emulator_render import LogEntry, log_html
from workbench.schema import Reply

__all__ = ["StoredTurn", "stored_turns", "transcript_html"]


@dataclass(frozen=True)
class StoredTurn:
    number: int
    text: str | None
    """What the user sent; None for a timeout (a turn without a user row)."""
    path: list[str] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)
    error: str | None = None
    time: Any = None


def _reply(payload: str, text: str) -> Reply:
    try:
        data = json.loads(payload)
    except ValueError:
        data = None
    return Reply.from_json(data) if isinstance(data, dict) else Reply("text", text)


def stored_turns(rows: pd.DataFrame, turns: int | None = None) -> list[StoredTurn]:
    """The turns of a conversation's rows (``events`` columns, in order). ``turns`` is its turn
    count: turns after the last row were timeouts that wrote nothing."""
    numbers = sorted(set(int(t) for t in rows["turn"]))
    last = max([*numbers, turns or 0])
    out = []
    for number in range(1, last + 1):
        turn = rows[rows["turn"] == number]
        users = turn[turn["type"] == "user"]
        errors = turn[turn["type"] == "turn_error"]
        out.append(
            StoredTurn(
                number,
                str(users["text"].iloc[0]) if len(users) else None,
                [str(n) for n in turn.loc[turn["type"] == "node", "flow_node"]],
                [
                    _reply(str(p), str(t))
                    for p, t in zip(
                        turn.loc[turn["type"] == "bot", "payload"],
                        turn.loc[turn["type"] == "bot", "text"],
                        strict=True,
                    )
                ],
                str(errors["text"].iloc[0]) if len(errors) else None,
                turn["time"].iloc[0] if len(turn) else None,
            )
        )
    return out


def transcript_html(turns: list[StoredTurn], user: str = "") -> str:
    """The conversation as the emulator's chat log, with each turn's path as a note."""
    entries: list[LogEntry] = []
    for turn in turns:
        when = f" · {turn.time:%Y-%m-%d %H:%M:%S}" if turn.time is not None else ""
        entries.append(LogEntry("note", f"turn {turn.number}{when}"))
        if turn.text is None:
            entries.append(LogEntry("note", "(timeout: the user went silent)"))
        else:
            entries.append(LogEntry("user", turn.text, who=user))
        if turn.path:
            entries.append(LogEntry("note", "→ " + " → ".join(turn.path)))
        if turn.error:
            entries.append(LogEntry("error", turn.error))
        entries.extend(LogEntry("bot", reply=reply) for reply in turn.replies)
    return log_html(entries)
