"""``workbench dashboard content|analytics BOT``: a Voilà dashboard of the bot, in a browser."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from workbench.cli._common import err, folder_problem, out
from workbench.dashboards._registry import DASHBOARDS


def dashboard(
    name: Annotated[
        str, typer.Argument(metavar="NAME", help=f"Which dashboard: {', '.join(DASHBOARDS)}.")
    ],
    bot_folder: Annotated[Path, typer.Argument(metavar="BOT", help="The bot folder.")],
    port: Annotated[int, typer.Option(min=1, max=65535, help="The port to serve on.")] = 8866,
    host: Annotated[
        str, typer.Option(help="The address to listen on (another than 127.0.0.1 needs a token).")
    ] = "127.0.0.1",
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Do not open a browser.")
    ] = False,
    db: Annotated[
        str | None, typer.Option("--db", help="Store URL (default: the bot's SQLite file).")
    ] = None,
) -> None:
    """Serve a dashboard of BOT (the content editor, or analytics) and print its URL once it
    answers; Ctrl-C stops it."""
    from workbench.dashboards._serve import serve  # Voilà: loads with this command only

    if name not in DASHBOARDS:
        err.print(f"no dashboard {name!r}: use one of {', '.join(DASHBOARDS)}", markup=False)
        raise typer.Exit(1)
    problem = folder_problem(bot_folder)
    if problem is not None:
        err.print(problem, markup=False)
        raise typer.Exit(1)
    if db is not None:
        os.environ["WORKBENCH_DB"] = db  # Voilà's kernel inherits it
    title = DASHBOARDS[name].title

    def ready(url: str) -> None:
        out.print(f"{title} of {bot_folder}: {url}  (Ctrl-C stops it)", markup=False)

    try:
        code = serve(
            name, bot_folder, port=port, host=host, open_browser=not no_browser, ready=ready
        )
    except (OSError, TimeoutError) as exc:
        err.print(str(exc), markup=False)
        raise typer.Exit(1) from None
    raise typer.Exit(code)
