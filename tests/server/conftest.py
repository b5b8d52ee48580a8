"""Fixtures of the server tests: a bot folder and real server processes on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from server_kit import ADMIN_TOKEN, ServerProcess, StartServer, write_echo_bot


def _starter(folder: Path) -> tuple[StartServer, list[ServerProcess]]:
    started: list[ServerProcess] = []

    def start(*args: str, db: str | None = None, **options: object) -> ServerProcess:
        url = db or f"sqlite:///{folder.parent / 'store.db'}"
        server = ServerProcess(folder, url, *args, **options)  # type: ignore[arg-type]
        started.append(server)
        return server

    return start, started


@pytest.fixture
def echo_bot(tmp_path: Path) -> Path:
    return write_echo_bot(tmp_path / "echo")


@pytest.fixture
def start_server(echo_bot: Path) -> Iterator[StartServer]:
    """``start_server(*args, db=..., env=...)``: a server on a fresh echo bot (SQLite unless
    ``db``), stopped at the end of the test."""
    start, started = _starter(echo_bot)
    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One server for a module's tests (each test uses its own conversation ids), with the
    admin token :data:`ADMIN_TOKEN` set and no janitor."""
    folder = write_echo_bot(tmp_path_factory.mktemp("served") / "echo")
    start, started = _starter(folder)
    yield start("--janitor-interval", "0", env={"WORKBENCH_ADMIN_TOKEN": ADMIN_TOKEN})
    for each in started:
        each.stop()
