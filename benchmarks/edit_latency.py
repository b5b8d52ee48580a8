"""Notebook edit latency: re-running a ``%%flow`` or ``%%content`` cell, then the next reply.

    python benchmarks/edit_latency.py [BOT]

BOT is a sample bot (default ``pizza``). Two cases, each the median of ``RUNS`` edits timed in
this process: ``bot_new_set_flow``, a folder-less ``Bot.new()`` with the bot's NLU data whose
flow is set again (``bot.set_flow``), and ``folder_set_content``, the bot loaded from its folder
whose greeting is edited (``bot.set_content``). Each edit rebuilds the bot; ``next_reply_ms`` is
the first ``say`` after it. Prints one JSON object.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import workbench as wb
from workbench.nlu import load_nlu_data

RUNS = 7
FLOW = (
    "start: hello\nnodes:\n  hello:\n    on_enter: [{say: {text: 'Hi {{ intent }} %d'}}]\n"
    "    on_receive: []\n    next: [{to: END}]\n"
)


def timed(bot: Any, edit: Callable[[Any, int], object]) -> dict[str, float]:
    times = []
    for n in range(RUNS):
        started = time.perf_counter()
        edit(bot, n)
        edited = time.perf_counter()
        bot.conversation(f"u{n}").say("I want a pizza")
        replied = time.perf_counter()
        times.append(((edited - started) * 1e3, (replied - edited) * 1e3))
    return {
        "edit_ms": round(statistics.median(a for a, _ in times), 1),
        "next_reply_ms": round(statistics.median(b for _, b in times), 1),
    }


def main() -> int:
    folder = Path(__file__).resolve().parents[1] / "sample_bots" / (sys.argv[1:] or ["pizza"])[0]
    new = wb.Bot.new()
    new.set_intents(load_nlu_data(folder, folder.name))
    new.set_flow("main", FLOW % 0)
    new.conversation("warm").say("hi")
    result = {"bot_new_set_flow": timed(new, lambda b, n: b.set_flow("main", FLOW % (n + 1)))}
    loaded = wb.Bot.load(folder, db="memory://")
    loaded.conversation("warm").say("hi")
    result["folder_set_content"] = timed(
        loaded, lambda b, n: b.set_content("greeting", f"Hello {n}")
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
