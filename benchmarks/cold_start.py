"""Cold start of a real process: import, ``Bot.load`` and the first reply, side by side.

    python benchmarks/cold_start.py [--runs 7] [--store sqlite|memory] [--text TEXT] [--no-count]
        [TREE ...]

Each TREE is a checkout of the repository (default: this one); its ``workbench`` is imported
(``PYTHONPATH=TREE``) and its ``sample_bots/pizza`` loaded. Per tree, in fresh processes:
``from workbench import Bot``, ``Bot.load`` (the NLU model cached, an existing SQLite file) and
the first reply to ``--text`` (default ``hi``; it reads the conversation's state and the cached
model), timed inside the
process (median of ``--runs``; the runs of the trees are interleaved, so a busy hour weighs on
all alike; a first run per tree writes the bytecode and the NLU cache and is discarded), and the
CPU time of the whole process. Then valgrind's instructions (``Ir``) of the same process, of
the same without the reply, and of ``from workbench import Bot`` alone, each less those of
``python -c pass``: the figures that do not move with the VM's 2-3x swings.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from _processes import CHILD_ENV

REPO = Path(__file__).resolve().parents[1]
ENV = {**CHILD_ENV, "PYTHONHASHSEED": "0", "OPENBLAS_NUM_THREADS": "1"}
COLD = """\
import time
began = time.perf_counter()
import sys
from workbench import Bot
imported = time.perf_counter()
bot = Bot.load(sys.argv[1], db=sys.argv[2])
loaded = time.perf_counter()
if sys.argv[3:]:
    bot.conversation("u1").say(sys.argv[3])
done = time.perf_counter()
ms = [(b - a) * 1000 for a, b in ((began, imported), (imported, loaded), (loaded, done))]
print(*ms, time.process_time() * 1000)
"""
IMPORT = "from workbench import Bot"


def _python(tree: Path, *args: str, valgrind: bool = False) -> subprocess.CompletedProcess[str]:
    prefix = (
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
        if valgrind
        else []
    )
    return subprocess.run(
        [*prefix, sys.executable, *args],
        cwd=tree,
        env={**ENV, "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        check=True,
    )


def _instructions(tree: Path, *args: str) -> int:
    done = _python(tree, *args, valgrind=True)
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if found is None:
        raise RuntimeError(f"no instruction count in valgrind's output:\n{done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trees", nargs="*", type=Path, default=[REPO])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--store", choices=("sqlite", "memory"), default="sqlite")
    parser.add_argument("--text", default="hi", help="the first message")
    parser.add_argument("--no-count", action="store_true", help="wall times only (no valgrind)")
    args = parser.parse_args()
    trees = [tree.resolve() for tree in args.trees]
    report: dict[str, Any] = {
        "benchmark": "cold_start",
        "store": args.store,
        "runs": args.runs,
        "text": args.text,
    }
    with tempfile.TemporaryDirectory(prefix="wb-cold-") as tmp:
        urls = {
            tree: "memory://" if args.store == "memory" else f"sqlite:///{tmp}/{i}.db"
            for i, tree in enumerate(trees)
        }
        timings: dict[Path, list[list[float]]] = {tree: [] for tree in trees}
        for run in range(args.runs + 1):
            for tree in trees:
                bot = str(tree / "sample_bots" / "pizza")
                out = _python(tree, "-c", COLD, bot, urls[tree], args.text)
                if run:  # the first writes the bytecode, the NLU cache and the database
                    timings[tree].append([float(x) for x in out.stdout.split()])
        for tree in trees:
            columns = list(zip(*timings[tree], strict=True))
            medians = [round(statistics.median(c), 1) for c in columns]
            totals = [sum(t[:3]) for t in timings[tree]]
            figures: dict[str, Any] = {
                "import_bot_ms": medians[0],
                "load_ms": medians[1],
                "first_reply_ms": medians[2],
                "total_ms": round(statistics.median(totals), 1),
                "process_cpu_ms": medians[3],
            }
            if not args.no_count and shutil.which("valgrind"):
                bot = str(tree / "sample_bots" / "pizza")
                empty = _instructions(tree, "-c", "pass")
                cold = _instructions(tree, "-c", COLD, bot, urls[tree], args.text)
                loaded = _instructions(tree, "-c", COLD, bot, urls[tree])
                imported = _instructions(tree, "-c", IMPORT)
                figures["instructions"] = {
                    "cold_start": cold - empty,
                    "import_bot_and_load": loaded - empty,
                    "import_bot": imported - empty,
                }
            report[str(tree)] = figures
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
