"""What the static vectors cost the default engine: CLINC150 (train + oos_train) trained with
and without them, in one process, so both see the same machine load.

    python benchmarks/nlu_static_cost.py [--rounds 2]

"without" is the engine as it trains for a language the static table does not serve
(``language="fr"``: TF-IDF n-grams alone, the default engine before the vectors). Reports train
CPU seconds (``time.process_time``: what load does not skew much), parse p50/p95 over 1,000
test texts (wall clock, CPU time per parse), and a cold start in a fresh process (import, load
the saved model, first parse; median of 5, wall and CPU), which includes reading the table.
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from _processes import snippet_json

from workbench.nlu import _datasets as ds
from workbench.nlu._train import train

REPO = Path(__file__).resolve().parents[1]
COLD = """
import json, sys, time
wall, cpu = time.perf_counter(), time.process_time()
from workbench.nlu._model import NLUModel
model = NLUModel.load(sys.argv[1])
loaded = time.perf_counter()
model.parse(sys.argv[2])
print(json.dumps({"load_ms": (loaded - wall) * 1e3, "total_ms": (time.perf_counter() - wall) * 1e3,
                  "total_cpu_ms": (time.process_time() - cpu) * 1e3}))
"""


def _cold(path: Path, text: str) -> dict[str, float]:
    runs = [snippet_json(COLD, str(path), text, cwd=REPO) for _ in range(5)]
    return {k: round(statistics.median(r[k] for r in runs), 1) for k in runs[0]}


def _measure(examples: dict[str, list[str]], texts: list[str], language: str) -> dict[str, Any]:
    cpu = time.process_time()
    model = train(examples, language=language)
    train_cpu = time.process_time() - cpu
    for text in texts:  # the first pass fills the per-word memos
        model.parse(text)
    walls, cpus = [], []
    for text in texts:
        wall, cpu = time.perf_counter(), time.process_time()
        model.parse(text)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    handle, name = tempfile.mkstemp(suffix=".npz")
    os.close(handle)
    path = Path(name)
    try:
        size = model.save(path).stat().st_size
        cold = _cold(path, texts[0])
    finally:
        path.unlink(missing_ok=True)
    walls.sort()
    return {
        "train_cpu_s": round(train_cpu, 2),
        "parse_p50_ms": round(walls[len(walls) // 2] * 1e3, 3),
        "parse_p95_ms": round(walls[int(len(walls) * 0.95)] * 1e3, 3),
        "parse_cpu_mean_ms": round(sum(cpus) / len(cpus) * 1e3, 3),
        "model_mb": round(size / 1e6, 2),
        "cold_start": cold,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    data = ds.clinc150(ds.data_root(REPO))
    examples: dict[str, list[str]] = {}
    for text, label in data["train"] + data["oos_train"]:
        examples.setdefault(label, []).append(text)
    texts = [t for t, _ in data["test"][:1000]]
    rounds = []
    for _ in range(args.rounds):  # alternated, so a change of load hits both
        rounds.append(
            {
                "without_static": _measure(examples, texts, "fr"),
                "with_static": _measure(examples, texts, "en"),
            }
        )
    print(json.dumps({"set": "clinc150", "rounds": rounds, "load": os.getloadavg()}, indent=2))


if __name__ == "__main__":
    main()
