"""The command line loads the simulator only for ``workbench simulate`` (no timings)."""

from __future__ import annotations

import subprocess
import sys


def test_the_cli_leaves_the_simulator_for_its_command() -> None:
    script = "import sys, workbench.cli; print('\\n'.join(sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    loaded = set(done.stdout.split())
    assert "workbench.cli._simulate" in loaded  # the command is registered...
    simulator = {"workbench.testing._simulate", "workbench.testing._simulate_report"}
    assert not simulator & loaded  # ...but what runs it loads when it runs
