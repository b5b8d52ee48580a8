"""The Voilà dashboards (content editor, analytics) started from JupyterLab: one Voilà server
per dashboard and bot, on a free local port, kept until the Jupyter server stops."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path
from typing import TypedDict

from workbench.dashboards import DASHBOARDS, notebook_path, voila_command
from workbench.dashboards._registry import BOT_ENV
from workbench.jupyter._paths import PathError

__all__ = ["DashboardJSON", "DashboardService"]

LOCAL = "127.0.0.1"
STARTUP_SECONDS = 60.0


class DashboardJSON(TypedDict):
    name: str
    title: str
    url: str


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOCAL, 0))
        return int(sock.getsockname()[1])


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex((LOCAL, port)) == 0


class DashboardService:
    def __init__(self) -> None:
        self._running: dict[tuple[str, Path], tuple[subprocess.Popen[bytes], int]] = {}

    def open(self, name: str, folder: Path) -> DashboardJSON:
        """The URL of dashboard ``name`` for the bot in ``folder``, started if need be."""
        if name not in DASHBOARDS:
            raise PathError(404, f"no dashboard {name!r} (there are: {', '.join(DASHBOARDS)})")
        dashboard = DASHBOARDS[name]
        key = (name, folder)
        running = self._running.get(key)
        if running is None or running[0].poll() is not None:
            running = self._start(name, folder, dashboard.preheat)
            self._running[key] = running
        return DashboardJSON(name=name, title=dashboard.title, url=f"http://{LOCAL}:{running[1]}/")

    def _start(self, name: str, folder: Path, preheat: bool) -> tuple[subprocess.Popen[bytes], int]:
        port = _free_port()
        command = voila_command(notebook_path(name), port=port, host=LOCAL, preheat=preheat)
        env = {**os.environ, BOT_ENV: str(folder)}
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _listening(port):
            if process.poll() is not None:
                raise PathError(500, f"Voilà stopped at once (exit {process.returncode})")
            if time.monotonic() > deadline:
                process.terminate()
                raise PathError(504, f"Voilà did not start on port {port}")
            time.sleep(0.1)  # Voilà is starting: no event to wait on but its port
        return process, port

    def stop(self) -> None:
        for process, _ in self._running.values():
            if process.poll() is None:
                process.terminate()
        for process, _ in self._running.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        self._running.clear()
