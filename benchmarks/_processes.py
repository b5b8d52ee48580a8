"""The environment of every process a benchmark times."""

from __future__ import annotations

import os

CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
"""The current environment without ``PYTHONDONTWRITEBYTECODE``, which some containers and CI
images set. With it, no ``.pyc`` file of ``workbench`` (an editable install) is ever written, so
every timed process would compile the package's sources again (~60 ms more of
``from workbench import Bot`` on the project's VM), a cost no user pays twice: their first import
writes the ``.pyc`` files, as pip does for installed packages. Benchmarks discard a first run,
which writes them."""
