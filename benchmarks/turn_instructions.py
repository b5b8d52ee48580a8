"""Instructions per pizza turn, counted by valgrind: a figure that does not depend on the host.

    python benchmarks/turn_instructions.py [--store sqlite,memory]

Prints one JSON object: per store, the user-space instructions (valgrind's ``Ir``) of one turn of
the engine benchmark's scenario, SQLite library and numpy included, kernel work (the WAL writes'
system calls) not. The project's VM runs the same code 2-3x faster or slower from one hour to the
next, so turn times measured on different days do not compare; this does (~1% between runs). It
is the difference between a run of ``LONG`` and one of ``SHORT`` conversations, so loading the
bot and the warm-up cancel out. Needs valgrind (Debian's ``valgrind`` package); takes ~1 minute
per store.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from _processes import CHILD_ENV
from _scenario import TURNS_PER_CONVERSATION, script

HERE = Path(__file__).resolve().parent
PIZZA = HERE.parent / "sample_bots" / "pizza"
SHORT, LONG = 20, 60
"""Conversations of the two runs (the second minus the first: 40 conversations, 280 turns)."""
ENV = {**CHILD_ENV, "PYTHONHASHSEED": "0", "OPENBLAS_NUM_THREADS": "1"}
"""A fixed hash seed and one BLAS thread: the same instructions on every run."""


def play(store: str, conversations: int) -> None:
    """The worker: load the pizza bot and play ``conversations`` orders."""
    import workbench

    with tempfile.TemporaryDirectory(prefix="wb-instructions-") as tmp:
        db = "memory://" if store == "memory" else f"sqlite:///{tmp}/wb.db"
        bot = workbench.Bot.load(PIZZA, db=db)
        for n in range(conversations):
            conversation = bot.conversation(f"u{n % 100}", f"c{n}")
            for text in script(n):
                conversation.say(text)


def instructions(store: str, conversations: int) -> int:
    """valgrind's instruction count of a worker process playing ``conversations`` orders."""
    command = [
        "valgrind",
        "--tool=cachegrind",
        "--cache-sim=no",
        "--cachegrind-out-file=/dev/null",
        sys.executable,
        str(Path(__file__).resolve()),
        "--play",
        store,
        str(conversations),
    ]
    done = subprocess.run(command, env=ENV, capture_output=True, text=True, check=True)
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if found is None:
        raise RuntimeError(f"no instruction count in valgrind's output:\n{done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default="sqlite,memory", help="comma-separated stores")
    parser.add_argument("--play", nargs=2, metavar=("STORE", "CONVERSATIONS"), help="(worker)")
    args = parser.parse_args()
    if args.play:
        play(args.play[0], int(args.play[1]))
        return 0
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt-get install valgrind)", file=sys.stderr)
        return 2
    for store in args.store.split(","):
        # trains the pizza bot's NLU model once if it is not cached, and compiles the bytecode
        # of the modules each store imports: a first run writing .pyc files would count less
        # (the short run would pay for compiling, the long one not)
        instructions(store, 1)
    result: dict[str, object] = {"benchmark": "turn_instructions", "scenario": "pizza order"}
    for store in args.store.split(","):
        print(f"[instructions] {store} ...", file=sys.stderr, flush=True)
        short, long = instructions(store, SHORT), instructions(store, LONG)
        turns = (LONG - SHORT) * TURNS_PER_CONVERSATION
        result[store] = {"instructions_per_turn": round((long - short) / turns), "turns": turns}
    result["python"] = sys.version.split()[0]
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
