"""The JupyterLab extension's own unit tests (vitest, in extension/test/): the YAML ↔ graph
round trip and the edit operations. `make install` installed extension/node_modules."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from tests.conftest import ROOT

EXTENSION = ROOT / "extension"


def test_the_flow_editor_unit_tests_pass() -> None:
    npm = shutil.which("npm")
    if npm is None or not (EXTENSION / "node_modules" / ".bin" / "vitest").exists():
        if os.environ.get("CI") == "true":
            pytest.fail("node/npm and extension/node_modules (make install) are needed under CI")
        pytest.skip("node/npm or extension/node_modules missing: run make install")
    run = subprocess.run(
        [npm, "test", "--silent"],
        check=False,
        cwd=EXTENSION,
        capture_output=True,
        text=True,
        env={**os.environ, "CI": "true", "NO_COLOR": "1"},
        timeout=240,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    assert " passed" in run.stdout, run.stdout
