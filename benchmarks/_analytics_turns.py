"""Pizza turns per second with transcripts written and without, on a SQLite store.

"Without" is the same store whose turns save the conversation, its variables and no transcript
row (a wrapper of its turn transaction drops them): the rows are still built by the runtime,
which has no switch to not build them, so this measures what writing them costs the store.
Runs alternate (on, off, on, off...) so that a change of the machine's load hits both alike.
"""

from __future__ import annotations

import resource
import statistics
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from _scenario import script

from workbench.runtime import Bot
from workbench.stores import SQLStore

PIZZA = Path(__file__).resolve().parent.parent / "sample_bots" / "pizza"


class _NoRows:
    """A turn transaction that saves everything but the transcript rows."""

    def __init__(self, turn: Any) -> None:
        self._turn = turn

    def __enter__(self) -> _NoRows:
        self._turn.__enter__()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._turn.__exit__(kind, error, tb)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._turn, name)

    def save(self, record: Any, events: Any, user: Any = None, bot: Any = None) -> None:
        self._turn.save(record, [], user, bot)


class NoTranscriptStore(SQLStore):
    def turn(self, bot: str, conversation_id: str, user_id: str) -> Any:
        return _NoRows(super().turn(bot, conversation_id, user_id))


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _play(bot: Bot, conversations: int, offset: int) -> tuple[float, float, int]:
    turns = 0
    wall, cpu = time.perf_counter(), _cpu()
    for n in range(offset, offset + conversations):
        conv = bot.conversation(f"user-{n}", f"conv-{n}")
        for text in script(n):
            conv.say(text)
            turns += 1
    return time.perf_counter() - wall, _cpu() - cpu, turns


def transcripts_on_off(conversations: int = 150, rounds: int = 5) -> dict[str, Any]:
    """Median turns/s (wall and per CPU second) of each, over ``rounds`` alternating runs."""
    figures: dict[str, list[tuple[float, float, int]]] = {"on": [], "off": []}
    with tempfile.TemporaryDirectory(prefix="wb-bench-turns-") as tmp:
        bots = {
            "on": Bot.load(PIZZA, store=SQLStore(f"sqlite:///{tmp}/on.db")),
            "off": Bot.load(PIZZA, store=NoTranscriptStore(f"sqlite:///{tmp}/off.db")),
        }
        for kind, bot in bots.items():
            _play(bot, 20, 10_000_000)  # warm up: NLU, caches
            figures[kind] = []
        for r in range(rounds):
            for kind, bot in bots.items():
                figures[kind].append(_play(bot, conversations, r * conversations))
        rows = {k: len(b.store.events(b.name)) for k, b in bots.items()}
        for bot in bots.values():
            bot.store.close()
    out: dict[str, Any] = {}
    for kind, runs in figures.items():
        out[kind] = {
            "turns_per_s": round(statistics.median(t / w for w, _, t in runs)),
            "turns_per_cpu_s": round(statistics.median(t / c for _, c, t in runs)),
            "transcript_rows": rows[kind],
        }
    out["cost_of_writing_rows"] = round(
        out["off"]["turns_per_cpu_s"] / out["on"]["turns_per_cpu_s"] - 1, 3
    )
    out["note"] = (
        "'off' saves no transcript row (the runtime still builds them); cost = CPU time per "
        "turn with rows written / without - 1"
    )
    return out
