"""``workbench export BOT --parquet DIR`` and ``workbench dashboard``'s errors, run as users
run them: subprocesses (the dashboard's page itself is tested in Chromium: tests/e2e)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import workbench as wb
from tests.analytics.shop_kit import Played, played_shop
from tests.conftest import ROOT


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[Played]:
    yield from played_shop(tmp_path)


def workbench(
    *args: str | Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workbench", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )


def test_export_writes_parquet_and_then_only_new_events(shop: Played, tmp_path: Path) -> None:
    assert shop.bot.path is not None
    out = tmp_path / "parquet"
    first = workbench("export", shop.bot.path, "--parquet", out)
    assert first.returncode == 0, first.stderr
    rows = len(shop.bot.store.events(shop.bot.name))
    assert f"exported {rows} new events ({rows} in all) and 7 conversations" in first.stdout
    second = workbench("export", shop.bot.path, "--parquet", out)
    assert "exported 0 new events" in second.stdout
    assert wb.analytics.open(out).kpis()["conversations"] == 7


def test_export_errors_are_one_line(tmp_path: Path, shop: Played) -> None:
    missing = workbench("export", tmp_path / "nowhere", "--parquet", tmp_path / "out")
    assert missing.returncode == 1
    assert "no such bot folder" in missing.stderr and "Traceback" not in missing.stderr
    other = workbench("export", shop.bot.path or "", "--parquet", tmp_path / "o", "--db",
                      f"sqlite:///{tmp_path / 'none.db'}")  # fmt: skip
    assert other.returncode == 1 and "none.db): no conversation was ever saved" in other.stderr


def test_dashboard_refuses_what_it_cannot_serve(tmp_path: Path) -> None:
    unknown = workbench("dashboard", "nope", ROOT / "sample_bots" / "pizza", "--no-browser")
    assert unknown.returncode == 1 and "no dashboard 'nope'" in unknown.stderr
    not_bot = workbench("dashboard", "analytics", tmp_path, "--no-browser")
    assert not_bot.returncode == 1 and "not a bot folder" in not_bot.stderr
    missing = workbench("dashboard", "content", tmp_path / "piza", "--no-browser")
    assert (
        missing.returncode == 1 and missing.stderr == f"{tmp_path / 'piza'}: no such bot folder\n"
    )


def test_export_takes_a_store_url_too(shop: Played, tmp_path: Path) -> None:
    url = shop.bot.store.url
    result = workbench("export", url, "--parquet", tmp_path / "p")
    assert result.returncode == 0, result.stderr
    assert "and 7 conversations" in result.stdout


def test_the_cli_loads_analytics_only_for_its_commands() -> None:
    script = "import sys, workbench.cli; print('\\n'.join(sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    loaded = set(done.stdout.split())
    assert {"workbench.cli._export", "workbench.cli._dashboard"} <= loaded
    assert not {"duckdb", "pyarrow", "altair", "voila", "workbench.analytics._load"} & loaded
