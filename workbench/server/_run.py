"""``serve``: run the server with uvicorn, in one process or several workers.

The settings reach the worker processes through the environment (:data:`SETTINGS_ENV`); each
worker loads the bot and opens the store itself (the store creates or migrates its schema, safely
when several processes start at once).
"""

from __future__ import annotations

import gc
import logging
import os
from collections.abc import Callable
from typing import Any

import uvicorn

from workbench._address import base_url
from workbench.runtime import Bot
from workbench.server._app import create_app
from workbench.server._logs import LOG_CONFIG
from workbench.server._malloc import limit_malloc_arenas
from workbench.server._settings import SETTINGS_ENV, ServerSettings


def serve(
    settings: ServerSettings,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Serve until stopped (SIGINT/SIGTERM). The bot is loaded here first, so that a bad folder
    or store stops the command with its problems before anything listens: one worker serves
    that bot in this process; several load it again each (this process only watches them)."""
    url = base_url(host, port)
    limit_malloc_arenas()
    options: dict[str, Any]
    if workers == 1:
        options = {"app": create_app(settings)}
    else:
        store = Bot.load(settings.bot, db=settings.db).store
        store.open()  # the schema, created or migrated once before the workers start
        store.close()
        gc.collect()
        os.environ[SETTINGS_ENV] = settings.to_env()
        options = {"app": "workbench.server._app:app_from_env", "factory": True}
    if ready is not None:
        ready(url)
    logging.getLogger("workbench.server").info("serving", extra={"url": url, "workers": workers})
    uvicorn.run(
        **options,
        host=host,
        port=port,
        workers=workers,
        access_log=False,
        log_config=LOG_CONFIG,
        timeout_graceful_shutdown=5,
        ws_max_size=settings.max_body,  # a WebSocket message as large as an HTTP body at most
    )
