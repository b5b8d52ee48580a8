"""Serving a dashboard: Voilà on ``127.0.0.1:PORT``, its notebook given the bot folder."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import webbrowser
from collections.abc import Callable
from pathlib import Path

from workbench.dashboards._registry import BOT_ENV, notebook_path

__all__ = ["serve"]

HOST = "127.0.0.1"
STARTUP_SECONDS = 60.0


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex((HOST, port)) == 0


def voila_command(notebook: Path, port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "voila",
        str(notebook),
        f"--port={port}",
        "--no-browser",
        f"--Voila.ip={HOST}",
        "--show_tracebacks=False",
    ]


def serve(
    name: str,
    bot: Path,
    port: int,
    *,
    open_browser: bool = True,
    ready: Callable[[str], None] = print,
) -> int:
    """Run dashboard ``name`` of ``bot`` until Voilà stops (Ctrl-C); calls ``ready(url)`` once
    the page answers. Returns Voilà's exit status."""
    if _listening(port):
        raise OSError(f"port {port} is in use: pick another with --port")
    env = {**os.environ, BOT_ENV: str(bot.resolve())}
    process = subprocess.Popen(voila_command(notebook_path(name), port), env=env)
    url = f"http://{HOST}:{port}/"
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)  # stopping us stops Voilà too
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _listening(port):
            if process.poll() is not None:
                return process.returncode
            if time.monotonic() > deadline:
                process.terminate()
                raise TimeoutError(f"Voilà did not start on port {port}")
            time.sleep(0.1)
        ready(url)
        if open_browser:
            webbrowser.open(url)
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        return process.wait(timeout=30)


def _interrupt(_signal: int, _frame: object) -> None:
    raise KeyboardInterrupt
