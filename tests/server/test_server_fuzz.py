"""Fuzz the API from its own OpenAPI schema (schemathesis, every check): no server error, every
answer as the schema says, schema-valid requests accepted, invalid ones refused."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from server_kit import ADMIN_TOKEN, ServerProcess

EXAMPLES = 60
SEED = 20261206
"""Fixed: a CI run is repeatable (change it, or drop ``--seed``, to explore further)."""


def test_the_api_stands_up_to_fuzzing_from_its_own_schema(
    server: ServerProcess, tmp_path: Path
) -> None:
    command = [
        str(Path(sys.executable).parent / "schemathesis"), "run", f"{server.url}/openapi.json",
        "--checks", "all", "--max-examples", str(EXAMPLES), "--seed", str(SEED),
        "--header", f"Authorization: Bearer {ADMIN_TOKEN}", "--request-timeout", "30",
        "--report-dir", str(tmp_path), "--no-color",
    ]  # fmt: skip
    run = subprocess.run(  # in tmp_path: schemathesis keeps a cache in its working directory
        command, capture_output=True, text=True, timeout=280, check=False, cwd=tmp_path
    )
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "No issues found" in run.stdout
