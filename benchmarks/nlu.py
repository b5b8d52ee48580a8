"""NLU benchmarks: CLINC150, Botpress's CLINC150 regression set, BANKING77, Snips 2017.

    python benchmarks/nlu.py [--quick] [--only clinc150,banking77] [--engine default]

Reads the data from ``$WORKBENCH_NLU_DATA`` or ``../shared/data/nlu`` next to the repo (never
copied into it), follows each data set's README protocol and prints one JSON object (progress
goes to stderr). See ``workbench/nlu/_benchmarks.py`` for the protocols.
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

REPO = Path(__file__).resolve().parents[1]


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
    results["machine"] = {
        "cores": len(os.sched_getaffinity(0)),
        "python": platform.python_version(),
        "processor": platform.machine(),
    }
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
