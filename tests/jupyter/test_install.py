"""`pip install -e .` (what `make install` runs) leaves both extensions enabled: no extra step."""

from __future__ import annotations

import re
import subprocess
import sys


def jupyter(*args: str) -> str:
    run = subprocess.run(
        [sys.executable, "-m", "jupyter", *args], capture_output=True, text=True, check=True
    )
    return re.sub(r"\x1b\[[0-9;]*m", "", run.stdout + run.stderr)  # no colours


def test_the_lab_extension_is_installed_and_enabled() -> None:
    listing = jupyter("labextension", "list")
    assert re.search(r"bot-workbench v[\d.]+ enabled OK", listing), listing


def test_the_server_extension_is_enabled() -> None:
    listing = jupyter("server", "extension", "list")
    assert re.search(r"workbench\.jupyter\s+enabled", listing), listing
    assert re.search(r"workbench\.jupyter\s+OK", listing), listing
