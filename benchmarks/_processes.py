"""The environment of every process a benchmark times."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
"""The current environment without ``PYTHONDONTWRITEBYTECODE``, which some containers and CI
images set. With it, no ``.pyc`` file of ``workbench`` (an editable install) is ever written, so
every timed process would compile the package's sources again (~60 ms more of
``from workbench import Bot`` on the project's VM), a cost no user pays twice: their first import
writes the ``.pyc`` files, as pip does for installed packages. Benchmarks discard a first run,
which writes them."""


def snippet_json(snippet: str, *args: str, cwd: Path) -> Any:
    """Run ``python -c snippet args`` in a fresh process (:data:`CHILD_ENV`, in ``cwd``) and
    return the JSON it printed."""
    done = subprocess.run(
        [sys.executable, "-c", snippet, *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=cwd,
        env=CHILD_ENV,
    )
    return json.loads(done.stdout)
