"""Worker: play pizza orders against one implementation and print its turn statistics as JSON.

``python benchmarks/_turns.py IMPLEMENTATION TURNS`` where IMPLEMENTATION is one of
``workbench-sqlite``, ``workbench-memory``, ``botbuilder-memory``,
``botbuilder-memory-transcript``. Each runs in its own process so that neither library's imports
(or garbage) weigh on the other's numbers. The replies of the first conversation are checked
against the expected ones, and every timed conversation must end with the order placed.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from _scenario import (
    TURNS_PER_CONVERSATION,
    Reply,
    TurnStats,
    check_replies,
    final_reply,
    script,
    turn_stats,
)

ROOT = Path(__file__).resolve().parent.parent
PIZZA = ROOT / "sample_bots" / "pizza"
WARMUP_CONVERSATIONS = 20
USERS = 100  # conversations rotate over this many users (their variables persist)

Say = Callable[[str, str, str], Awaitable[list[Reply]]]
"""``await say(conversation_id, user_id, text)`` → replies."""


async def play(name: str, say: Say, turns: int) -> TurnStats:
    """Check the script's replies, warm up, then time ``turns`` turns (whole conversations)."""
    check_replies(name, [await say("check", "check-user", text) for text in script(0)])
    for n in range(1, WARMUP_CONVERSATIONS + 1):
        for text in script(n):
            await say(f"warm-{n}", f"u{n % USERS}", text)
    conversations = max(1, -(-turns // TURNS_PER_CONVERSATION))
    latencies: list[int] = []
    clock = time.perf_counter_ns
    started, cpu_started = time.perf_counter(), time.process_time()
    for n in range(conversations):
        conversation_id, user_id = f"c{n}", f"u{n % USERS}"
        replies: list[Reply] = []
        for text in script(n):
            before = clock()
            replies = await say(conversation_id, user_id, text)
            latencies.append(clock() - before)
        if not replies or replies[-1][0] != final_reply(n):
            raise AssertionError(f"{name}: conversation {n} ended with {replies!r}")
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    return turn_stats(latencies, seconds, cpu_seconds)


class WorkbenchPizza:
    """``await wb.say(conversation_id, user_id, text)`` on the sample pizza bot."""

    def __init__(self, db: str) -> None:
        import workbench  # only in this worker: the botbuilder one never loads it

        self.bot = workbench.Bot.load(PIZZA, db=db)
        self.conversation: Any = None

    async def say(self, conversation_id: str, user_id: str, text: str) -> list[Reply]:
        conv = self.conversation
        if conv is None or conv.id != conversation_id:
            conv = self.conversation = self.bot.conversation(user_id, conversation_id)
        replies = conv.say(text)
        if conv.last_error:
            raise AssertionError(f"turn error: {conv.last_error}")
        return [(r.text, [c.title for c in r.choices]) for r in replies]


def run_workbench(store: str, turns: int) -> TurnStats:
    with tempfile.TemporaryDirectory(prefix="wb-bench-") as tmp:
        bot = WorkbenchPizza("memory://" if store == "memory" else f"sqlite:///{tmp}/wb.db")
        return asyncio.run(play(f"workbench-{store}", bot.say, turns))


def run_botbuilder(transcript: bool, turns: int) -> TurnStats:
    from _botbuilder_pizza import BotbuilderPizza  # only in this worker, like workbench

    bot = BotbuilderPizza(transcript=transcript)
    name = "botbuilder-memory" + ("-transcript" if transcript else "")
    return asyncio.run(play(name, bot.say, turns))


def main(argv: list[str]) -> None:
    implementation, turns = argv[0], int(argv[1])
    runners: dict[str, Callable[[], TurnStats]] = {
        "workbench-sqlite": lambda: run_workbench("sqlite", turns),
        "workbench-memory": lambda: run_workbench("memory", turns),
        "botbuilder-memory": lambda: run_botbuilder(False, turns),
        "botbuilder-memory-transcript": lambda: run_botbuilder(True, turns),
    }
    print(json.dumps(runners[implementation]()))


if __name__ == "__main__":
    main(sys.argv[1:])
