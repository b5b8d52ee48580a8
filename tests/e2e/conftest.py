"""Browser tests: a real JupyterLab server and Debian's Chromium driven by Playwright.

No browser is ever downloaded: Playwright drives the ``chromium`` on PATH. When CI=true a
missing browser is a failure, not a skip.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import pytest

from tests.conftest import ROOT

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = ROOT / "docs" / "img"  # ``WORKBENCH_SCREENSHOTS=1 pytest tests/e2e`` refreshes them


def _missing(what: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is required for the browser tests under CI")
    pytest.skip(f"{what} is not available")


@dataclass(frozen=True)
class Lab:
    url: str
    token: str
    root: Path

    def page_url(self, path: str) -> str:
        """``reset``: a fresh workspace, without the tabs an earlier test left open (JupyterLab
        would restore them, and the one last active could take the focus from this one)."""
        return f"{self.url}lab/tree/{path}?reset&token={self.token}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """JupyterLab serving a scratch folder that holds a copy of the sample bots."""
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(
        ROOT / "sample_bots", root / "sample_bots", ignore=shutil.ignore_patterns(".workbench")
    )
    token, port = secrets.token_hex(16), _free_port()
    settings = root / ".settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)  # no "would you like news?" toast over the screenshots
    (settings / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(root / ".jupyter"),
        "JUPYTER_RUNTIME_DIR": str(root / ".runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(root / ".settings"),
        "WORKBENCH_DB": "",
    }
    command = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        f"--port={port}",
        "--ip=127.0.0.1",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--allow-root",
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    server = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    assert server.stderr is not None
    for line in server.stderr:  # blocks until the server logs that it is ready
        if f"127.0.0.1:{port}/lab" in line:
            break
    else:
        pytest.fail(f"JupyterLab did not start (exit {server.wait()})")
    log: list[str] = []  # keep draining the log so the server never blocks on a full pipe
    threading.Thread(target=lambda: log.extend(server.stderr or ()), daemon=True).start()
    try:
        yield Lab(f"http://127.0.0.1:{port}/", token, root)
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stderr.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Module-scoped: Playwright's sync API keeps an asyncio loop running in this thread while it
    is open, which would break later tests that start their own loop."""
    executable = shutil.which("chromium")
    if executable is None:
        _missing("Debian's chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright (Python)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def write_notebook(lab: Lab, name: str, cells: Sequence[str]) -> str:
    """A notebook of these code cells in the lab's folder; returns its path for ``page_url``."""
    notebook = nbformat.v4.new_notebook()  # type: ignore[no-untyped-call]
    notebook.cells = [
        nbformat.v4.new_code_cell(source)  # type: ignore[no-untyped-call]
        for source in cells
    ]
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(notebook, lab.root / name)  # type: ignore[no-untyped-call]
    return name


def open_notebook(
    browser: Any, lab: Lab, name: str, *, width: int = 1500, height: int = 1000
) -> Any:
    """A new page on the notebook, once its kernel is ready."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(lab.page_url(name))
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    page.get_by_text("| Idle").first.wait_for(timeout=60_000)  # the kernel is ready
    return page


def run_all_cells(page: Any) -> None:
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
