"""``workbench serve BOT``: the production server (HTTP API, WebSocket, web chat)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from workbench.cli._common import err, folder_problem, out, print_problems
from workbench.schema import BotError, WorkbenchError


def serve(
    bot_folder: Annotated[Path, typer.Argument(metavar="BOT", help="The bot folder.")],
    db: Annotated[
        str | None,
        typer.Option("--db", help="Store URL (default: WORKBENCH_DB, else the bot's SQLite file)."),
    ] = None,
    host: Annotated[str, typer.Option(help="The address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="The port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
    rate_limit: Annotated[
        int, typer.Option(min=0, help="Messages per minute per client address (0: no limit).")
    ] = 0,
    cors_origin: Annotated[
        list[str] | None,
        typer.Option(help="An origin allowed to call the API from a browser (repeatable)."),
    ] = None,
    janitor_interval: Annotated[
        float, typer.Option(min=0, help="Seconds between timeout rounds (0: no janitor).")
    ] = 30.0,
) -> None:
    """Serve BOT over HTTP: the API under /api/v1, the web chat at /chat, /metrics, /healthz.

    Admin routes need `Authorization: Bearer $WORKBENCH_ADMIN_TOKEN` (unset: refused)."""
    from workbench.server import ServerSettings
    from workbench.server import serve as run_server  # FastAPI and uvicorn: this command only

    problem = folder_problem(bot_folder)
    if problem is not None:
        err.print(problem, markup=False)
        raise typer.Exit(1)
    url = db or os.environ.get("WORKBENCH_DB") or ""
    if workers > 1 and url.startswith("memory:"):
        err.print(
            "--workers > 1 needs a shared store (SQLite or PostgreSQL), not memory://", markup=False
        )
        raise typer.Exit(1)
    settings = ServerSettings(
        bot=str(bot_folder.resolve()),
        db=db,
        rate_limit=rate_limit,
        cors_origins=tuple(cors_origin or ()),
        janitor_interval=janitor_interval,
        admin_token=os.environ.get("WORKBENCH_ADMIN_TOKEN") or None,
    )

    def ready(url: str) -> None:
        out.print(
            f"serving {bot_folder} at {url}  (chat: {url}/chat; Ctrl-C stops it)", markup=False
        )

    try:
        run_server(settings, host=host, port=port, workers=workers, ready=ready)
    except BotError as exc:
        print_problems(exc.problems)
        raise typer.Exit(1) from None
    except (WorkbenchError, OSError) as exc:
        err.print(str(exc), markup=False)
        raise typer.Exit(1) from None
