"""``workbench dashboard content|analytics BOT``: a Voilà dashboard of the bot, in a browser."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from workbench.cli._common import err
from workbench.dashboards import DASHBOARDS, serve


def dashboard(
    kind: Annotated[str, typer.Argument(metavar="content|analytics", help="Which dashboard.")],
    bot_folder: Annotated[Path, typer.Argument(metavar="BOT", help="The bot folder.")],
    port: Annotated[int, typer.Option(help="The port to serve on.")] = 8866,
    host: Annotated[
        str, typer.Option(help="The address to listen on (another than 127.0.0.1 needs a token).")
    ] = "127.0.0.1",
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Do not open a browser.")
    ] = False,
) -> None:
    """Serve a dashboard of BOT (the content editor, or analytics) at http://HOST:PORT/."""
    if kind not in DASHBOARDS:
        err.print(f"unknown dashboard {kind!r}: choose {' or '.join(DASHBOARDS)}", markup=False)
        raise typer.Exit(2)
    if not (bot_folder / "bot.yml").is_file():
        err.print(f"{bot_folder}: not a bot folder (a bot folder holds bot.yml)", markup=False)
        raise typer.Exit(2)
    raise typer.Exit(serve(kind, bot_folder, port=port, host=host, open_browser=not no_browser))
