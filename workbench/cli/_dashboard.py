"""``workbench dashboard NAME BOT``: serve a Voilà dashboard of a bot at 127.0.0.1:PORT."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from workbench.cli._common import err, out
from workbench.dashboards._registry import DASHBOARDS


def dashboard(
    name: Annotated[
        str, typer.Argument(metavar="NAME", help=f"Which dashboard: {', '.join(DASHBOARDS)}.")
    ],
    bot_folder: Annotated[Path, typer.Argument(metavar="BOT", help="The bot folder.")],
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port on 127.0.0.1.")] = 8866,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Do not open a browser on the page.")
    ] = False,
    db: Annotated[
        str | None, typer.Option("--db", help="Store URL (default: the bot's SQLite file).")
    ] = None,
) -> None:
    """Serve a dashboard of BOT (Voilà) and print its URL; Ctrl-C stops it."""
    from workbench.dashboards._serve import serve  # starts Voilà: loads with this command only

    if name not in DASHBOARDS:
        err.print(f"no dashboard {name!r}: use one of {', '.join(DASHBOARDS)}", style="red")
        raise typer.Exit(1)
    if not (bot_folder / "bot.yml").is_file():
        err.print(f"{bot_folder}: not a bot folder (no bot.yml)", style="red", markup=False)
        raise typer.Exit(1)
    if db is not None:
        os.environ["WORKBENCH_DB"] = db  # Voilà's kernel inherits it
    title = DASHBOARDS[name].title

    def ready(url: str) -> None:
        out.print(f"{title} of {bot_folder}: {url}  (Ctrl-C stops it)", markup=False)

    try:
        code = serve(name, bot_folder, port, open_browser=not no_browser, ready=ready)
    except (OSError, TimeoutError) as exc:
        err.print(str(exc), style="red", markup=False)
        raise typer.Exit(1) from None
    raise typer.Exit(code)
