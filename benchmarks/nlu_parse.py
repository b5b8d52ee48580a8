"""Cost of understanding one message: ``NLUModel.parse`` p50/p95, and a cold start.

    python benchmarks/nlu_parse.py [--quick] [--no-clinc]

Trains the pizza and support sample bots and CLINC150 (train + oos_train, from
``$WORKBENCH_NLU_DATA`` or ``../shared/data/nlu``), saves each model, reads it back and times
``parse`` on short messages: the bots' test messages and utterances, CLINC150's test texts.
``first_pass`` is the first parse of each text after loading (per-word lookup tables still empty),
``warm`` the following passes; each model is timed in a process of its own, as a bot server
holds it (not next to the training data). ``cold_start_ms`` runs in a fresh Python process:
importing the engine, ``NLUModel.load(path)`` and the first ``parse`` (median of several
processes), and says which heavy modules that imported. Prints one JSON object (progress goes
to stderr).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from _processes import CHILD_ENV, snippet_json

REPO = Path(__file__).resolve().parents[1]
BOTS = ("pizza", "support")
COLD_RUNS = 5
COLD_START = """
import json, sys, time
start = time.perf_counter()
from workbench.nlu._model import NLUModel
imported = time.perf_counter()
model = NLUModel.load(sys.argv[1])
loaded = time.perf_counter()
model.parse(sys.argv[2])
parsed = time.perf_counter()
print(json.dumps({
    "import_ms": (imported - start) * 1e3,
    "load_ms": (loaded - imported) * 1e3,
    "first_parse_ms": (parsed - loaded) * 1e3,
    "total_ms": (parsed - start) * 1e3,
    "heavy_modules": [m for m in ("scipy", "sklearn", "torch") if m in sys.modules],
}))
"""


def _percentiles(seconds: Sequence[float]) -> dict[str, float]:
    ordered = sorted(seconds)

    def at(share: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1e6, 1)

    return {
        "p50_us": at(0.5),
        "p95_us": at(0.95),
        "mean_us": round(statistics.mean(ordered) * 1e6, 1),
    }


def _timed(parse: Any, texts: Sequence[str]) -> list[float]:
    times = []
    clock = time.perf_counter
    for text in texts:
        start = clock()
        parse(text)
        times.append(clock() - start)
    return times


def _parse_timing(path: Path, texts: Sequence[str], passes: int) -> dict[str, Any]:
    """Runs this script with ``--time``: the timing happens in a fresh process."""
    texts_file = path.with_suffix(".texts.json")
    texts_file.write_text(json.dumps(list(texts)))
    command = [sys.executable, __file__, "--time", str(path), str(texts_file), str(passes)]
    out = subprocess.run(
        command, capture_output=True, text=True, check=True, cwd=REPO, env=CHILD_ENV
    )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def _time_here(path: Path, texts: Sequence[str], passes: int) -> dict[str, Any]:
    from workbench.nlu._model import NLUModel

    model = NLUModel.load(path)
    first = _timed(model.parse, texts)
    warm: list[float] = []
    for _ in range(passes):
        warm.extend(_timed(model.parse, texts))
    return {
        "texts": len(texts),
        "intents": len(model.intents),
        "warm": _percentiles(warm),
        "first_pass": _percentiles(first),
    }


def _cold_start(path: Path, text: str) -> dict[str, Any]:
    runs = [snippet_json(COLD_START, str(path), text, cwd=REPO) for _ in range(COLD_RUNS)]
    result: dict[str, Any] = {
        key: round(statistics.median(r[key] for r in runs), 1)
        for key in ("import_ms", "load_ms", "first_parse_ms", "total_ms")
    }
    result["heavy_modules"] = runs[-1]["heavy_modules"]
    return result


def _bot_texts() -> list[str]:
    import yaml

    from workbench.nlu import load_nlu_data, parse_utterance

    texts: list[str] = []
    for bot in sorted((REPO / "sample_bots").iterdir()):
        for test in sorted((bot / "tests").glob("*.yml")):
            for item in _user_turns(yaml.safe_load(test.read_text())):
                texts.append(item)
        data = load_nlu_data(bot, bot.name)
        texts.extend(parse_utterance(u).text for us in data.intents.values() for u in us)
    return texts


def _user_turns(node: Any) -> list[str]:
    """Every ``user:`` value in a test file, wherever it sits."""
    if isinstance(node, dict):
        found = [str(v) for k, v in node.items() if k == "user" and v is not None]
        return found + [t for k, v in node.items() if k != "user" for t in _user_turns(v)]
    if isinstance(node, list):
        return [t for item in node for t in _user_turns(item)]
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one warm pass, 300 CLINC texts")
    parser.add_argument("--no-clinc", action="store_true", help="the sample bots only")
    parser.add_argument(
        "--time", nargs=3, metavar=("MODEL", "TEXTS", "PASSES"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.time:
        model, texts, passes = args.time
        timing = _time_here(Path(model), json.loads(Path(texts).read_text()), int(passes))
        print(json.dumps(timing))
        return 0

    from workbench.nlu import _datasets as ds
    from workbench.nlu import load_nlu_data, train

    passes = 1 if args.quick else 5
    progress = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    bot_texts = _bot_texts()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        models: dict[str, tuple[Path, list[str]]] = {}
        for bot in BOTS:
            progress(f"training {bot}")
            model = train(load_nlu_data(REPO / "sample_bots" / bot, bot))
            models[bot] = (model.save(Path(folder) / f"{bot}.npz"), bot_texts)
        root = ds.data_root(REPO)
        if not args.no_clinc and (root / "clinc150").is_dir():
            progress("training clinc150 (train + oos_train)")
            data = ds.clinc150(root)
            grouped: dict[str, list[str]] = {}
            for text, label in data["train"] + data["oos_train"]:
                grouped.setdefault(label, []).append(text)
            model = train(grouped)
            texts = [t for t, _ in data["test"] + data["oos_test"]][:: 6 if args.quick else 1]
            models["clinc150"] = (model.save(Path(folder) / "clinc150.npz"), texts[:1000])
        for name, (path, texts) in models.items():
            progress(f"timing {name}")
            results[name] = {
                **_parse_timing(path, texts, passes),
                "cold_start_ms": _cold_start(path, texts[0]),
                "model_mb": round(path.stat().st_size / 1e6, 2),
            }
    results["machine"] = {
        "cores": len(os.sched_getaffinity(0)),
        "python": platform.python_version(),
        "processor": platform.machine(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
