"""Fuzz campaign figures: hostile bot folders, hostile user texts, sandbox payloads.

    python benchmarks/fuzz.py [--folders N] [--texts N] [--seed S] [--pg URL]

Runs the generators of the fuzz suite (``tests/fuzz/fuzz_kit.py``) at a larger scale than
``make test`` and prints one JSON object (progress goes to stderr):

- ``folders``: mutated sample-bot folders (lines deleted, duplicated, re-indented, wrong types,
  broken references, garbage and invalid UTF-8, deep nesting, alias bombs, ...): cases run,
  outcomes by kind (``loaded``, ``bot_error``; anything else is a bug), the slowest case and the
  largest peak of memory traced by Python for one case (load and four turns);
- ``texts``: hostile user texts through ``conv.say`` on each store (memory, SQLite, and
  PostgreSQL with ``--pg``): turns run, replies, turn errors, exceptions (a bug), and whether the
  transcript kept every message;
- ``payloads``: the sandbox payload list as templates in a bot: refused at load, turn error, or
  answered (with nothing of Python's insides shown).

Times and peaks are per case, the first NLU training's import of scikit-learn excepted (done
before the campaign). No figure here is asserted anywhere: the suite asserts outcomes.
"""

from __future__ import annotations

import argparse
import collections
import importlib
import json
import platform
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests" / "fuzz")]

import fuzz_kit  # noqa: E402  (the fuzz suite's generators)
import test_fuzz_sandbox as sandbox  # noqa: E402

import workbench as wb  # noqa: E402
from workbench.schema import storable_text  # noqa: E402


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def folders(count: int, seed: str) -> dict[str, Any]:
    rand = fuzz_kit.rng(f"bench-folders-{seed}")
    kinds: collections.Counter[str] = collections.Counter()
    mutations: collections.Counter[str] = collections.Counter()
    slowest: tuple[float, list[str], str] = (0.0, [], "")
    peak: tuple[int, list[str]] = (0, [])
    bugs = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for case in range(count):
            folder = fuzz_kit.copy_bot(rand.choice(fuzz_kit.BOTS), Path(tmp) / f"c{case}")
            done = fuzz_kit.mutate(rand, folder)
            mutations.update(item.split()[0] for item in done)
            outcome = fuzz_kit.run_folder(folder)
            kinds[outcome.kind] += 1
            if outcome.kind not in ("loaded", "bot_error"):
                bugs.append({"mutations": done, "kind": outcome.kind, "detail": outcome.detail})
            if outcome.seconds > slowest[0]:
                slowest = (outcome.seconds, done, outcome.kind)
            if outcome.peak_bytes > peak[0]:
                peak = (outcome.peak_bytes, done)
            if case % 100 == 99:
                _progress(f"folders: {case + 1}/{count}")
    return {
        "cases": count,
        "outcomes": dict(kinds),
        "mutations": dict(mutations),
        "bugs": bugs[:20],
        "slowest_case": {
            "seconds": round(slowest[0], 3),
            "mutations": slowest[1],
            "outcome": slowest[2],
        },
        "peak_memory_mb": {"mb": round(peak[0] / 2**20, 1), "mutations": peak[1]},
        "seconds": round(time.perf_counter() - started, 1),
    }


def texts(count: int, stores: dict[str, str]) -> dict[str, Any]:
    rand = fuzz_kit.rng("bench-texts")
    hostile = fuzz_kit.FIXED_TEXTS + [fuzz_kit.random_text(rand) for _ in range(count)]
    result: dict[str, Any] = {}
    for name, url in stores.items():
        with tempfile.TemporaryDirectory() as tmp:
            folder = fuzz_kit.copy_bot("pizza", Path(tmp) / "pizza")
            settings = folder / "bot.yml"
            rest = settings.read_text(encoding="utf-8").split("\n", 1)[1]
            settings.write_text(f"name: fuzz-bench-{time.time_ns()}\n{rest}", encoding="utf-8")
            bot = wb.Bot.load(folder, db=url.replace("TMP", tmp))
            counts: collections.Counter[str] = collections.Counter()
            slowest = (0.0, "")
            tracemalloc.start()
            for i, text in enumerate(hostile):
                conv = bot.conversation(user_id=f"u{i % 9}", conversation_id=f"c{i % 13}")
                began = time.perf_counter()
                try:
                    replies = conv.say(text)
                    counts["turn_error" if conv.last_error else "replied"] += bool(replies)
                except Exception as exc:  # a bug: conv.say must never raise
                    counts[f"raised:{type(exc).__name__}"] += 1
                took = time.perf_counter() - began
                if took > slowest[0]:
                    slowest = (took, repr(text[:40]))
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            kept = sorted(e.text for e in bot.events() if e.type == "user")
            result[name] = {
                "turns": len(hostile),
                "outcomes": dict(counts),
                "transcript_kept_every_message": kept == sorted(storable_text(t) for t in hostile),
                "slowest_turn": {"seconds": round(slowest[0], 4), "text": slowest[1]},
                "peak_memory_mb": round(peak / 2**20, 1),
            }
            bot.store.close()
        _progress(f"texts: {name} done")
    return result


def payloads() -> dict[str, Any]:
    sources = [f"{{{{ {p} }}}}" for p in sandbox._all_payloads()] + sandbox.TEMPLATES
    kinds: collections.Counter[str] = collections.Counter()
    leaks = []
    slowest = (0.0, "")
    with tempfile.TemporaryDirectory() as tmp:
        for i, source in enumerate(sources):
            quoted = sandbox._quoted(source)
            flow = sandbox.FLOW.format(text=quoted, value=quoted, condition='"true"')
            folder = fuzz_kit.write_bot_files(Path(tmp) / f"b{i}", flow, f"b{i}")
            began = time.perf_counter()
            try:
                bot = wb.Bot.load(folder, db="memory://")
            except wb.BotError:
                kinds["refused_at_load"] += 1
                continue
            conv = bot.conversation()
            replies = conv.say("hi")
            took = time.perf_counter() - began
            if took > slowest[0]:
                slowest = (took, source[:60])
            if conv.last_error:
                kinds["turn_error"] += 1
            else:
                kinds["answered"] += 1
                shown = " ".join(r.text for r in replies) + repr(conv.state)
                if sandbox.LEAKS.search(shown):
                    leaks.append(source[:80])
    return {
        "cases": len(sources),
        "outcomes": dict(kinds),
        "leaks": leaks,
        "executed": Path(sandbox.MARKER).exists(),
        "slowest_case": {"seconds": round(slowest[0], 3), "source": slowest[1]},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folders", type=int, default=1000)
    parser.add_argument("--texts", type=int, default=300)
    parser.add_argument("--seed", default="23")
    parser.add_argument("--pg", default=None, help="a PostgreSQL URL to run the texts on too")
    args = parser.parse_args()
    stores = {"memory": "memory://", "sqlite": "sqlite:///TMP/fuzz.db"}
    if args.pg:
        stores["postgres"] = args.pg
    Path(sandbox.MARKER).unlink(missing_ok=True)
    # the first NLU training imports scikit-learn (seconds): not a figure of any one case
    importlib.import_module("workbench.nlu._train")
    report = {
        "benchmark": "fuzz",
        "seed": args.seed,
        "folders": folders(args.folders, args.seed),
        "texts": texts(args.texts, stores),
        "payloads": payloads(),
        "python": platform.python_version(),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
