"""A real Jupyter server (pytest-jupyter) with the Bot Workbench server extension enabled, its
root holding a copy of the sample bots."""

from __future__ import annotations

import json
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

# jp_fetch and a real Jupyter server, here only: pytest-jupyter's autouse fixtures (an event loop
# it closes, a server clean-up) would run around every test of the suite, Playwright's included
from pytest_jupyter.jupyter_core import *  # noqa: F403
from pytest_jupyter.jupyter_server import *  # noqa: F403

from tests.conftest import SAMPLE_BOTS


@pytest.fixture
def jp_server_config() -> dict[str, Any]:
    return {"ServerApp": {"jpserver_extensions": {"workbench.jupyter": True}}}


@pytest.fixture
def lab_root(jp_root_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The server root: ``sample_bots/`` (pizza, support, survey) copied in; each bot keeps
    its conversations in its own (scratch) folder."""
    monkeypatch.delenv("WORKBENCH_DB", raising=False)
    shutil.copytree(
        SAMPLE_BOTS, jp_root_dir / "sample_bots", ignore=shutil.ignore_patterns(".workbench")
    )
    return jp_root_dir


Api = Callable[..., Awaitable[Any]]


@pytest.fixture
def api(
    jp_serverapp: Any, http_server_client: Any, jp_base_url: str, jp_auth_header: dict[str, str]
) -> Api:
    """``await api("GET", "bots", "sample_bots/pizza", "graph")``: like ``jp_fetch`` (same
    server, same token) but each part is URL-encoded as one segment, as the front end sends a
    bot's path; ``auth=False`` sends no token. Raises ``HTTPClientError`` on errors."""

    async def fetch(method: str, *parts: str, body: Any = None, auth: bool = True) -> Any:
        url = jp_base_url + "workbench/api/" + "/".join(quote(part, safe="") for part in parts)
        headers = dict(jp_auth_header) if auth else {}
        data = None if body is None else json.dumps(body)
        if data is None and method in ("POST", "PUT"):
            data = "{}"
        return await http_server_client.fetch(
            url, method=method, body=data, headers=headers, request_timeout=60
        )

    return fetch
