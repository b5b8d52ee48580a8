"""``make lab``: the URL JupyterLab prints opens the first tutorial, not the Launcher.

JupyterLab is started with the very command the Makefile runs (``make -n lab`` prints it; the
set-up step is left out and this environment's ``jupyter`` used), from a scratch copy of the
repository's notebooks, so nothing the page does can touch the committed ones.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.e2e.conftest import _free_port, _missing

pytestmark = pytest.mark.browser

TUTORIAL = "01-first-bot.ipynb"


def lab_command(port: int) -> list[str]:
    """What ``make lab`` runs, for this port, without opening a browser."""
    make = shutil.which("make")
    if make is None:
        _missing("make")
    bin_dir = Path(sys.executable).parent
    dry = subprocess.run(
        [make or "make", "-s", "-n", "lab", f"BIN={bin_dir}", "STAMP=", f"PORT={port}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    (line,) = [cmd for cmd in dry.stdout.splitlines() if cmd.startswith(f"{bin_dir}/jupyter")]
    return [*shlex.split(line), "--no-browser"]


@pytest.fixture
def printed_url(tmp_path: Path) -> Iterator[str]:
    """Start JupyterLab as ``make lab`` does; yield the first URL it prints."""
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks")
    port = _free_port()
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(tmp_path / ".jupyter"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / ".runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / ".settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / ".workspaces"),
    }
    command = [*lab_command(port), "--LabApp.news_url=", "--ip=127.0.0.1"]
    server = subprocess.Popen(command, cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True)
    assert server.stderr is not None
    url = None
    for line in server.stderr:  # blocks until the server prints its URLs
        found = re.search(rf"(http://127\.0\.0\.1:{port}/\S+)", line)
        if found:
            url = found.group(1)
            break
    if url is None:
        pytest.fail(f"JupyterLab did not start (exit {server.wait()})")
    threading.Thread(target=lambda: list(server.stderr or ()), daemon=True).start()
    try:
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # still shutting its kernel down
            server.kill()
            server.wait()
        server.stderr.close()


def test_the_printed_url_opens_the_first_tutorial(printed_url: str, browser: Any) -> None:
    assert f"/lab/tree/notebooks/{TUTORIAL}?token=" in printed_url
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    page.goto(printed_url)
    heading = page.locator(".jp-Notebook .jp-MarkdownOutput h1", has_text="Your first bot")
    heading.wait_for(timeout=60_000)  # the tutorial, open in a notebook panel
    current = page.locator(".lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel")
    assert TUTORIAL in current.all_inner_texts()
    page.get_by_text("| Idle").first.wait_for(timeout=60_000)  # its kernel started
    page.close()
