"""Mutated sample-bot folders: every case loads (and answers) or raises a ``BotError`` whose
problems name a file, within a memory budget; ``workbench lint`` prints no traceback.

Lines deleted, duplicated, re-indented and swapped, wrong types, broken references, garbage and
invalid UTF-8, truncated files, deep nesting, alias bombs, tabs, huge values: one to three of
them per folder, chosen by a seeded generator (see ``fuzz_kit``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fuzz_kit import BOTS, cases, copy_bot, mutate, rng, run_folder
from typer.testing import CliRunner

from workbench.cli import app

PEAK_BUDGET = 256 * 1024 * 1024
"""Most memory (traced by Python) one case may hold at once."""
CASES = cases(150)
BATCHES = 5


@pytest.mark.parametrize("batch", range(BATCHES))
def test_mutated_folders_load_or_name_a_file(tmp_path: Path, batch: int) -> None:
    rand = rng(f"folders-{batch}")
    failures = []
    for case in range(CASES // BATCHES):
        folder = copy_bot(rand.choice(BOTS), tmp_path / f"case{case}")
        done = mutate(rand, folder)
        outcome = run_folder(folder)
        if outcome.kind not in ("loaded", "bot_error") or outcome.peak_bytes > PEAK_BUDGET:
            failures.append((done, outcome))
    assert not failures, failures


def test_lint_of_mutated_folders_prints_no_traceback(tmp_path: Path) -> None:
    rand = rng("lint")
    runner = CliRunner()
    for case in range(max(CASES // 15, 4)):
        folder = copy_bot(rand.choice(BOTS), tmp_path / f"case{case}")
        done = mutate(rand, folder)
        result = runner.invoke(app, ["lint", str(folder)])
        assert result.exit_code in (0, 1), (done, result.output[-500:])
        assert "Traceback" not in result.output, done
