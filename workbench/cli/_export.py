"""``workbench export BOT --parquet DIR``: the bot's transcripts to Parquet, new rows only."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from workbench.cli._common import err, out
from workbench.schema import WorkbenchError


def export(
    source: Annotated[
        str, typer.Argument(metavar="BOT", help="The bot folder (or a store URL / SQLite file).")
    ],
    parquet: Annotated[
        Path, typer.Option("--parquet", metavar="DIR", help="The folder of Parquet files.")
    ],
    db: Annotated[
        str | None, typer.Option("--db", help="Store URL (default: the bot's SQLite file).")
    ] = None,
    settle: Annotated[
        float | None,
        typer.Option(help="Leave out rows younger than this many seconds (PostgreSQL: 60)."),
    ] = None,
) -> None:
    """Append the transcript rows not exported yet to DIR, and rewrite its conversations."""
    # analytics (DuckDB, pyarrow) loads with this command only: other commands start without it
    from workbench.analytics import export_parquet

    if db is not None:
        os.environ["WORKBENCH_DB"] = db  # the bot folder's store, as every tool finds it
    try:
        result = export_parquet(source, parquet, settle=settle)
    except WorkbenchError as exc:
        err.print(str(exc), style="red", markup=False)
        raise typer.Exit(1) from None
    out.print(str(result), markup=False)
