"""Serving a dashboard with Voilà: ``workbench dashboard content|analytics BOT``.

The page is a two-cell notebook that calls the dashboard's function on the bot folder named by
the ``WORKBENCH_BOT`` environment variable, written to a temporary folder for the run (the
ones in ``notebooks/dashboards/`` are the same, for plain ``voila``). Bound to 127.0.0.1 it
needs no token; bound to any other address it requires Jupyter's token (printed in the URL).
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["DASHBOARDS", "Dashboard", "dashboard_notebook", "serve", "voila_command"]

ENV_VAR = "WORKBENCH_BOT"
LOCAL = "127.0.0.1"


@dataclass(frozen=True)
class Dashboard:
    """A dashboard: its page's title and the function that draws it (``module:function``,
    called with the bot folder)."""

    title: str
    function: str
    preheat: bool = False
    """Voilà runs the page in a kernel before anyone asks for it (then keeps one ready): the
    page shows in ~2 s instead of ~3 s. Only for pages that read what they show when asked
    (the content editor reads the files again on every search and open)."""


DASHBOARDS: dict[str, Dashboard] = {
    "content": Dashboard(
        "Content editor", "workbench.dashboards._content_editor:content_editor", preheat=True
    ),
    "analytics": Dashboard("Analytics", "workbench.dashboards._analytics:analytics_dashboard"),
}


def dashboard_notebook(kind: str, default_bot: str = "sample_bots/pizza") -> dict[str, Any]:
    """The page of a dashboard (notebook JSON): it draws the dashboard for the bot folder in
    ``WORKBENCH_BOT``, else ``default_bot`` (relative to the folder Voilà runs the page in:
    the notebook's own)."""
    dashboard = DASHBOARDS[kind]
    module, function = dashboard.function.split(":")
    code = (
        "import os\n"
        f"from {module} import {function}\n\n"
        f"{function}(os.environ.get({ENV_VAR!r}, {default_bot!r}))"
    )
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "title": f"Bot Workbench · {dashboard.title}",
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        },
        "cells": [
            {
                "cell_type": "markdown",
                "id": "title",
                "metadata": {},
                "source": f"# {dashboard.title}",
            },
            {
                "cell_type": "code",
                "id": "draw",
                "metadata": {},
                "source": code,
                "outputs": [],
                "execution_count": None,
            },
        ],
    }


def voila_command(
    notebook: Path, *, port: int, host: str, open_browser: bool, preheat: bool = False
) -> list[str]:
    """The Voilà command line: no CDN assets are needed (the pages are widgets and
    Vega-Lite charts, which Voilà bundles), the cells are shown as their output only."""
    command = [
        sys.executable,
        "-m",
        "voila",
        str(notebook),
        f"--port={port}",
        f"--Voila.ip={host}",
        "--theme=light",
        "--show_tracebacks=False",
    ]
    if not open_browser:
        command.append("--no-browser")
    if preheat:
        command.append("--preheat_kernel=True")
    return command


def serve(
    kind: str, bot: str | Path, *, port: int = 8866, host: str = LOCAL, open_browser: bool = True
) -> int:
    """Serve the ``kind`` dashboard of the bot folder ``bot`` until interrupted; the exit code.

    Prints the URL. Any other host than 127.0.0.1 gets a fresh token, required by every page.
    """
    if kind not in DASHBOARDS:
        raise ValueError(f"unknown dashboard {kind!r} (known: {', '.join(DASHBOARDS)})")
    folder = Path(bot).resolve()
    env = {**os.environ, ENV_VAR: str(folder)}
    with tempfile.TemporaryDirectory(prefix="workbench-dashboard-") as tmp:
        notebook = Path(tmp) / f"{kind}.ipynb"
        notebook.write_text(json.dumps(dashboard_notebook(kind), indent=1), encoding="utf-8")
        command = voila_command(
            notebook,
            port=port,
            host=host,
            open_browser=open_browser,
            preheat=DASHBOARDS[kind].preheat,
        )
        url = f"http://{host}:{port}/"
        if host != LOCAL:
            token = secrets.token_urlsafe(24)
            command.append(f"--token={token}")
            url += f"?token={token}"
        print(f"{DASHBOARDS[kind].title} of {folder.name}: {url}", flush=True)
        return _run(command, env, folder.parent)


def _run(command: list[str], env: dict[str, str], cwd: Path) -> int:
    """Run Voilà until it ends, or until this process is interrupted (Ctrl-C) or terminated
    (SIGTERM, as service managers and test harnesses stop it): then Voilà, and its kernels,
    are stopped too instead of being left running."""
    process = subprocess.Popen(command, env=env, cwd=cwd)
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        return process.wait()
    except KeyboardInterrupt:  # Voilà got the Ctrl-C too: it is stopping
        return 0
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _terminated(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)
