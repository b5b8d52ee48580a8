"""Instructions per NLU parse, counted by valgrind, and the parse results to compare variants.

    python benchmarks/nlu_parse_instructions.py [--no-clinc] [--results FILE] [--compare FILE]

Trains the pizza and support sample bots and CLINC150 (train + oos_train) as ``nlu_parse.py``
does, saves each model, then counts valgrind's instructions (``Ir``) of worker processes that
load a model and parse its texts: ``first_pass`` is the first parse of each text after loading
(per-word lookup tables empty), ``warm`` the later passes (the difference between runs of one
pass and of ``1 + PASSES``, divided by the parses). ``pizza_foreign`` is the pizza model parsing
CLINC150's test texts: what a bot sees from users who say other things than its examples. Turn
times on the project's VM vary 2-3x from hour to hour; these counts do not (~1%).

``--results FILE`` writes every parse and ``predict`` result (intent, confidence, ranking,
entities) and a digest of each trained model; ``--compare FILE`` checks them against such a file
(a variant that claims identical results must match it exactly).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from _processes import CHILD_ENV

REPO = Path(__file__).resolve().parents[1]
BOTS = ("pizza", "support")
PASSES = 2
CLINC_TEXTS = 600
ENV = {**CHILD_ENV, "PYTHONHASHSEED": "0", "OPENBLAS_NUM_THREADS": "1"}


def _bot_texts() -> list[str]:
    import yaml

    from workbench.nlu import load_nlu_data, parse_utterance

    texts: list[str] = []
    for bot in sorted((REPO / "sample_bots").iterdir()):
        for test in sorted((bot / "tests").glob("*.yml")):
            texts.extend(_user_turns(yaml.safe_load(test.read_text())))
        data = load_nlu_data(bot, bot.name)
        texts.extend(parse_utterance(u).text for us in data.intents.values() for u in us)
    return texts


def _user_turns(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [str(v) for k, v in node.items() if k == "user" and v is not None]
        return found + [t for k, v in node.items() if k != "user" for t in _user_turns(v)]
    if isinstance(node, list):
        return [t for item in node for t in _user_turns(item)]
    return []


def _play(model_path: str, texts_path: str, passes: int) -> None:
    """The worker: load the model, parse the texts ``passes`` times."""
    from workbench.nlu._model import NLUModel

    model = NLUModel.load(model_path)
    texts = json.loads(Path(texts_path).read_text())
    for _ in range(passes):
        for text in texts:
            model.parse(text)


def _instructions(model: Path, texts: Path, passes: int) -> int:
    command = [
        "valgrind",
        "--tool=cachegrind",
        "--cache-sim=no",
        "--cachegrind-out-file=/dev/null",
        sys.executable,
        str(Path(__file__).resolve()),
        "--play",
        str(model),
        str(texts),
        str(passes),
    ]
    done = subprocess.run(command, env=ENV, capture_output=True, text=True, check=True, cwd=REPO)
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if found is None:
        raise RuntimeError(f"no instruction count in valgrind's output:\n{done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def _digest(path: Path) -> str:
    import numpy as np

    digest = hashlib.sha256()
    with np.load(path, allow_pickle=False) as archive:
        for name in sorted(archive.files):
            digest.update(name.encode())
            digest.update(np.ascontiguousarray(archive[name]).tobytes())
    return digest.hexdigest()[:16]


def _results(model: Any, texts: list[str]) -> dict[str, Any]:
    parsed = []
    for text in texts:
        r = model.parse(text)
        parsed.append(
            [
                r.intent,
                r.confidence,
                [list(x) for x in r.intents],
                [[e.type, e.value, e.text, e.start, e.end, e.confidence] for e in r.entities],
            ]
        )
    return {"parse": parsed, "predict": model.predict(texts)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-clinc", action="store_true")
    parser.add_argument("--results", type=Path, help="write every result to this file")
    parser.add_argument("--compare", type=Path, help="check every result against this file")
    parser.add_argument("--no-count", action="store_true", help="results only (no valgrind)")
    parser.add_argument("--play", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.play:
        _play(args.play[0], args.play[1], int(args.play[2]))
        return 0
    if not args.no_count and shutil.which("valgrind") is None:
        print("valgrind is not installed (apt-get install valgrind)", file=sys.stderr)
        return 2

    from workbench.nlu import _datasets as ds
    from workbench.nlu import load_nlu_data, train
    from workbench.nlu._model import NLUModel

    def progress(message: str) -> None:
        print(f"[parse-instructions] {message}", file=sys.stderr, flush=True)

    bot_texts = _bot_texts()
    report: dict[str, Any] = {"benchmark": "nlu_parse_instructions", "passes": PASSES}
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        models: dict[str, tuple[Path, list[str], list[str]]] = {}
        for bot in BOTS:
            progress(f"training {bot}")
            model = train(load_nlu_data(REPO / "sample_bots" / bot, bot))
            path = model.save(Path(folder) / f"{bot}.npz")
            models[bot] = (path, bot_texts, bot_texts)
        root = ds.data_root(REPO)
        if not args.no_clinc and (root / "clinc150").is_dir():
            progress("training clinc150 (train + oos_train)")
            data = ds.clinc150(root)
            grouped: dict[str, list[str]] = {}
            for text, label in data["train"] + data["oos_train"]:
                grouped.setdefault(label, []).append(text)
            model = train(grouped)
            path = model.save(Path(folder) / "clinc150.npz")
            texts = [t for t, _ in data["test"] + data["oos_test"]]
            counted = texts[:: max(1, len(texts) // CLINC_TEXTS)][:CLINC_TEXTS]
            models["clinc150"] = (path, counted, texts)
            models["pizza_foreign"] = (models["pizza"][0], counted, texts)
        for name, (path, counted, checked) in models.items():
            model = NLUModel.load(path)
            results[name] = {"model": _digest(path), **_results(model, checked)}
            if args.no_count:
                continue
            progress(f"counting {name} ({len(counted)} texts)")
            texts_file = Path(folder) / f"{name}.texts.json"
            texts_file.write_text(json.dumps(counted))
            loaded, first, warm = (
                _instructions(path, texts_file, passes) for passes in (0, 1, 1 + PASSES)
            )
            report[name] = {
                "texts": len(counted),
                "first_pass_per_parse": round((first - loaded) / len(counted)),
                "warm_per_parse": round((warm - first) / (PASSES * len(counted))),
            }
    report["python"] = sys.version.split()[0]
    if args.results:
        args.results.write_text(json.dumps(results))
    if args.compare:
        expected = json.loads(args.compare.read_text())
        report["identical"] = {}
        for name, got in results.items():
            want = expected.get(name)
            same = want == got
            report["identical"][name] = same
            if not same and want is not None:
                for kind in ("parse", "predict"):
                    diffs = [
                        i
                        for i, (a, b) in enumerate(zip(want[kind], got[kind], strict=True))
                        if a != b
                    ]
                    report["identical"][f"{name}_{kind}_differences"] = len(diffs)
                report["identical"][f"{name}_model"] = want["model"] == got["model"]
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
