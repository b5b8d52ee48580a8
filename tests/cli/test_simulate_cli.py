"""``workbench simulate BOT -n N``, run as users run it: a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import SAMPLE_BOTS
from workbench.cli import app
from workbench.cli._simulate import simulate
from workbench.runtime import Bot

# Until ``simulate`` is registered in workbench/cli/_app.py, run it in an app of its own.
REGISTERED = any(c.callback is simulate for c in app.registered_commands)
SHIM = """
import typer
from workbench.cli._simulate import simulate
from workbench.runtime import Bot
app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
app.command()(simulate)
app.command("other")(lambda: None)
app()
"""


def workbench_simulate(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = ["-m", "workbench"] if REGISTERED else ["-c", SHIM]
    return subprocess.run(
        [sys.executable, *command, "simulate", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def test_simulate_prints_a_summary_and_stores_the_transcripts(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/sim.db"
    run = workbench_simulate(
        str(SAMPLE_BOTS / "pizza"), "-n", "50", "--seed", "3", "--db", db, cwd=tmp_path
    )
    assert run.returncode == 0, run.stderr
    for line in ("conversations", "50 (", "node coverage", "never reached", "turn errors"):
        assert line in run.stdout
    assert "lengths" in run.stdout and "p95" in run.stdout
    assert "50/50" in run.stderr  # the progress bar
    bot = Bot.load(SAMPLE_BOTS / "pizza", db=db)
    assert len({e.conversation_id for e in bot.events()}) == 50
    assert all(e.conversation_id.startswith("sim-") for e in bot.events())


def test_simulate_json_and_a_scripted_user(tmp_path: Path) -> None:
    run = workbench_simulate(
        str(SAMPLE_BOTS / "pizza"),
        "-n",
        "3",
        "--db",
        "memory://",
        "--json",
        "--user",
        "asks again when the size is not understood",
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["conversations"] == 3 and report["turns"] == 9
    assert report["visits"]["main.size_again"] == 3


def test_simulate_refuses_an_unknown_user(tmp_path: Path) -> None:
    run = workbench_simulate(
        str(SAMPLE_BOTS / "pizza"), "-n", "3", "--db", "memory://", "--user", "nobody", cwd=tmp_path
    )
    assert run.returncode == 1
    assert "no simulated user called 'nobody'" in run.stderr
    assert "Traceback" not in run.stderr
