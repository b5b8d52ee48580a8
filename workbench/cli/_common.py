"""What every command shares: loading a bot with clean errors, printing problems."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console

from workbench.runtime import Bot
from workbench.schema import BotError, Problem
from workbench.stores import MemoryStore, Store

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


def print_problems(problems: list[Problem], console: Console = err) -> None:
    for problem in problems:
        style = "red" if problem.severity == "error" else "yellow"
        console.print(str(problem), style=style, markup=False)


def load_bot(
    folder: Path, db: str | None = None, *, memory: bool = False, turns: bool = False
) -> Bot:
    """Load a bot or exit 1 with its problems (never a traceback). ``turns``: the command runs
    turns, so its store opens now (it would at the first turn): a store that cannot open
    stops the command before it reads or prints anything."""
    store: Store | None = MemoryStore() if memory else None
    try:
        bot = Bot.load(folder, db=db, store=store)
    except BotError as exc:
        print_problems(exc.problems)
        raise typer.Exit(1) from None
    if turns:
        bot.store.open()
    return bot


def is_terminal() -> bool:
    return sys.stdin.isatty()


def folder_problem(folder: Path) -> str | None:
    """Why ``folder`` is no bot folder, in the words ``wb.Bot.load`` uses (None: it is one),
    for the commands that check it before starting a server."""
    if not folder.exists():
        return f"{folder}: no such bot folder"
    if not (folder / "bot.yml").is_file():
        return f"{folder}: not a bot folder (a bot folder holds bot.yml)"
    return None
