"""The Jupyter server extension: the API the JupyterLab extension (``extension/``) talks to.

Under ``{base_url}workbench/api/``, Jupyter auth on every verb:

- ``GET bots`` → ``{"bots": [{"name", "path", "languages", "flows"}]}`` (bot folders up to two
  folders below the server root; ``path`` relative to it); ``POST bots`` ``{"path"}`` creates
  one from the ``workbench new`` scaffold (201; 409 when the folder is not empty);
- ``GET bots/{path}/graph`` → ``{"flows": {name: cytoscape elements}, "lint": [...], "style"}``;
- ``PUT bots/{path}/flows/{name}`` ``{"text"}`` saves a flow (YAML checked first);
- ``POST bots/{path}/conversations/{cid}/messages`` ``{"text", "user_id"?, "language"?,
  "payload"?}`` → ``{"replies", "trace", "path", "node"}``; ``DELETE
  bots/{path}/conversations/{cid}`` resets the conversation;
- ``POST bots/{path}/tests`` → the ``workbench test`` results with each failure's file and line;
- ``POST bots/{path}/dashboards/{content|analytics}`` → ``{"url"}`` of its Voilà page.

``path`` is the folder's path URL-encoded as one segment; paths outside the root are refused
(403). Errors are JSON ``{"message": ...}`` (a bot that does not load: 422 with ``problems``).
It is enabled by ``jupyter-config/jupyter_server_config.d/workbench.json``, installed with the
package.
"""

from __future__ import annotations

import atexit
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from workbench.jupyter._bots import BotService
from workbench.jupyter._dashboards import DashboardService
from workbench.jupyter._handlers import route_patterns, setup_handlers
from workbench.jupyter._paths import find_bots

__all__ = [
    "BotService",
    "find_bots",
    "route_patterns",
]


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "workbench.jupyter"}]


def _load_jupyter_server_extension(server_app: Any) -> None:
    """Called by Jupyter Server: registers the routes on its web app."""
    root = Path(server_app.root_dir).expanduser()
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="workbench")
    dashboards = DashboardService()
    setup_handlers(server_app.web_app, BotService(root), dashboards, executor)
    atexit.register(dashboards.stop)  # the Voilà servers it started end with it
    server_app.log.info("Bot Workbench API at %sworkbench/api/", server_app.base_url)
