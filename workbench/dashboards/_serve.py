"""Serving a dashboard with Voilà: ``workbench dashboard content|analytics BOT``.

Voilà runs the dashboard's notebook (:func:`~workbench.dashboards._registry.notebook_path`) with
the bot folder in ``WORKBENCH_BOT``. The URL is given once the page answers. Bound to 127.0.0.1
it needs no token; bound to any other address it requires Jupyter's token (in the URL given).
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from workbench._address import base_url
from workbench.dashboards._registry import BOT_ENV, known, notebook_path

__all__ = ["LOCAL", "serve", "voila_command"]

LOCAL = "127.0.0.1"
STARTUP_SECONDS = 60.0


def voila_command(
    notebook: Path, *, port: int, host: str, preheat: bool = False, token: str | None = None
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
        "--no-browser",
        "--theme=light",
        "--show_tracebacks=False",
    ]
    if preheat:
        command.append("--preheat_kernel=True")
    if token is not None:
        command.append(f"--token={token}")
    return command


def serve(
    name: str,
    bot: str | Path,
    *,
    port: int = 8866,
    host: str = LOCAL,
    open_browser: bool = True,
    ready: Callable[[str], None] = print,
) -> int:
    """Serve dashboard ``name`` of the bot folder ``bot`` until interrupted; calls
    ``ready(url)`` once the page answers, and returns Voilà's exit status.

    Any other host than 127.0.0.1 gets a fresh token, required by every page.
    """
    dashboard = known(name)
    if _listening(host, port):
        raise OSError(f"port {port} is in use: pick another with --port")
    token = None if host == LOCAL else secrets.token_urlsafe(24)
    command = voila_command(
        notebook_path(name), port=port, host=host, preheat=dashboard.preheat, token=token
    )
    env = {**os.environ, BOT_ENV: str(Path(bot).resolve())}
    url = f"{base_url(host, port)}/" + ("" if token is None else f"?token={token}")
    return _run(command, env, url, host, port, open_browser, ready)


def _listening(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex((LOCAL if host in ("0.0.0.0", "") else host, port)) == 0


def _run(
    command: list[str],
    env: dict[str, str],
    url: str,
    host: str,
    port: int,
    open_browser: bool,
    ready: Callable[[str], None],
) -> int:
    """Run Voilà until it ends, or until this process is interrupted (Ctrl-C) or terminated
    (SIGTERM, as service managers and test harnesses stop it): then Voilà, and its kernels,
    are stopped too instead of being left running."""
    process = subprocess.Popen(command, env=env)
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _listening(host, port):
            if process.poll() is not None:
                return process.returncode
            if time.monotonic() > deadline:
                raise TimeoutError(f"Voilà did not start on port {port}")
            time.sleep(0.1)  # Voilà is starting: no event to wait on but its port
        ready(url)
        if open_browser:
            import webbrowser  # only when a browser is asked for

            webbrowser.open(url)
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
