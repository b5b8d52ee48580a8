"""Simulation benchmark: 10,000 random-user pizza conversations, on SQLite and in memory.

    python benchmarks/simulate.py [--quick] [--conversations N] [--runs R]

Prints one JSON object on stdout (progress goes to stderr):

- ``runs``: ``simulate(bot, N, seed=1)`` on the sample pizza bot with a new SQLite file
  (default workers: all cores for big runs), SQLite with one process, and the memory store
  (always one process): wall seconds (the median run's figures, each run's, the best),
  conversations and turns per second, CPU seconds of the process and its workers (on a busy
  machine the wall time says more about the neighbours than about workbench; compare the CPU
  seconds and the load average), how conversations reached the store (staged on a memory
  store, copied by one turn per conversation), and the coverage reached;
- ``naive_sqlite``: the same simulated users played by a plain ``conv.say`` loop on SQLite (the
  way without staging), scaled to N conversations from a smaller run in quick mode;
- ``targets``: 10,000 conversations on SQLite in under 10 s, and the margin.

Every measurement runs in a fresh process (``--one KIND N``), so none warms another's caches.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PIZZA = ROOT / "sample_bots" / "pizza"
SEED = 1
TARGET_SECONDS = 10.0
TARGET_CONVERSATIONS = 10_000


def log(message: str) -> None:
    print(f"[simulate] {message}", file=sys.stderr, flush=True)


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def one_simulation(kind: str, n: int) -> dict[str, Any]:
    """Inside a fresh process: one ``simulate`` run of ``kind``."""
    from workbench.runtime import Bot
    from workbench.testing._simulate import simulate

    with tempfile.TemporaryDirectory(prefix="wb-bench-sim-") as tmp:
        db = "memory://" if kind == "memory" else f"sqlite:///{tmp}/sim.db"
        bot = Bot.load(PIZZA, db=db)
        workers = 1 if kind in ("memory", "sqlite_one_process") else None
        load, cpu = os.getloadavg()[0], cpu_seconds()
        report = simulate(bot, n, seed=SEED, workers=workers, progress=False)
        cpu = cpu_seconds() - cpu
        stored = len({e.conversation_id for e in bot.store.iter_events(bot.name)})
        copy = "staged, one turn per conversation"
        bot.store.close()
    if stored != n:
        raise AssertionError(f"{kind}: {stored} conversations stored, expected {n}")
    summary = report.summary()
    return {
        "seconds": round(report.seconds, 3),
        "cpu_seconds": round(cpu, 3),
        "load_average_1m_at_start": round(load, 2),
        "workers": report.workers,
        "conversations": report.conversations,
        "turns": report.turns,
        "conversations_per_s": round(report.conversations / report.seconds, 1),
        "turns_per_s": round(report.turns / report.seconds, 1),
        "copy": copy,
        "node_coverage": summary["node_coverage"]["ratio"],
        "transition_coverage": summary["transition_coverage"]["ratio"],
        "never_reached": summary["node_coverage"]["never_reached"],
        "lengths": summary["lengths"],
        "outcomes": summary["outcomes"],
    }


def one_naive(n: int) -> dict[str, Any]:
    """Inside a fresh process: the same users through ``conv.say`` on SQLite, no staging."""
    from workbench.runtime import Bot
    from workbench.testing._simulate_users import Timeout, Turn, as_user

    with tempfile.TemporaryDirectory(prefix="wb-bench-sim-") as tmp:
        bot = Bot.load(PIZZA, db=f"sqlite:///{tmp}/naive.db")
        user = as_user("random", bot)
        turns, started, cpu = 0, time.perf_counter(), cpu_seconds()
        for index in range(n):
            conv = bot.conversation(f"naive-u{index}", f"naive-{index}")
            rng, replies, node = random.Random(f"{SEED}:{index}"), [], None
            for number in range(20):
                move = user.message(Turn(number, replies, node, 0), rng)
                if move is None:
                    break
                replies = conv.timeout() if isinstance(move, Timeout) else conv.say(move)
                turns += 1
                node = conv.last_trace.get("node_after")
                if node is None or isinstance(move, Timeout):
                    break
        seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
        bot.store.close()
    return {
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu, 3),
        "conversations": n,
        "turns": turns,
        "conversations_per_s": round(n / seconds, 1),
        "turns_per_s": round(turns / seconds, 1),
    }


def run_child(*args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--one", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"simulate.py --one {' '.join(args)} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def measure(kind: str, n: int, runs: int) -> dict[str, Any]:
    samples = []
    for run in range(runs):
        log(f"{kind}: {n} conversations (run {run + 1}/{runs})")
        samples.append(run_child(kind, str(n)))
        log(f"  {samples[-1]['seconds']} s, {samples[-1]['workers']} workers")
    middle = sorted(samples, key=lambda s: s["seconds"])[len(samples) // 2]
    return middle | {
        "seconds_each_run": [s["seconds"] for s in samples],
        "best_seconds": min(s["seconds"] for s in samples),
    }


def machine() -> dict[str, Any]:
    return {
        "cpu_count": os.cpu_count(),
        "cpu": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a much smaller run (seconds)")
    parser.add_argument("--conversations", type=int, help="per run (default 10000, quick 1000)")
    parser.add_argument("--runs", type=int, help="runs per measurement (default 3, quick 1)")
    parser.add_argument("--one", nargs=2, metavar=("KIND", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        kind, n = args.one[0], int(args.one[1])
        result = one_naive(n) if kind == "naive" else one_simulation(kind, n)
        print(json.dumps(result))
        return

    n = args.conversations or (1000 if args.quick else TARGET_CONVERSATIONS)
    runs = args.runs or (1 if args.quick else 3)
    started = time.perf_counter()
    report: dict[str, Any] = {"benchmark": "simulate", "quick": args.quick, "machine": machine()}
    report["scenario"] = {
        "bot": "sample_bots/pizza",
        "user": "random (RandomUser on the bot's NLU data)",
        "seed": SEED,
        "conversations": n,
        "max_turns": 20,
    }
    report["runs"] = {
        kind: measure(kind, n, runs) for kind in ("sqlite", "sqlite_one_process", "memory")
    }
    naive_n = min(n, 1000) if args.quick else n
    log(f"naive conv.say loop on SQLite: {naive_n} conversations")
    naive = run_child("naive", str(naive_n))
    naive["seconds_for_n"] = round(naive["seconds"] * n / naive_n, 2)
    report["naive_sqlite"] = naive
    sqlite = report["runs"]["sqlite"]["seconds"] * TARGET_CONVERSATIONS / n
    report["targets"] = {
        "sqlite_10k_seconds": {
            "value": round(sqlite, 2),
            "target": f"< {TARGET_SECONDS}",
            "met": sqlite < TARGET_SECONDS,
            "margin": round(TARGET_SECONDS / sqlite, 2),
            "scaled_from": n,
        },
        "speedup_over_naive_sqlite": round(
            naive["seconds_for_n"] / report["runs"]["sqlite"]["seconds"], 2
        ),
    }
    report["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    report["elapsed_s"] = round(time.perf_counter() - started, 1)
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
