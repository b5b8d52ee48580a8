"""``workbench lint BOT``: every problem as ``file:line: message``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from workbench.cli._common import out, print_problems
from workbench.runtime import read_folder
from workbench.runtime._source import display_name
from workbench.schema import BotError, Problem, plural
from workbench.testing import find_convo_files, load_convo_file


def _test_problems(folder: Path) -> list[Problem]:
    problems: list[Problem] = []
    for path in find_convo_files(folder):
        try:
            load_convo_file(path, f"{display_name(folder)}/tests/{path.name}")
        except BotError as exc:
            problems += exc.problems
    return problems


def lint(
    bot_folder: Annotated[Path, typer.Argument(metavar="BOT", help="The bot folder.")],
) -> None:
    """Check a bot folder: errors and warnings, one per line; exits 1 on errors."""
    try:
        problems = read_folder(bot_folder).warnings
    except BotError as exc:
        problems = exc.problems
    problems = problems + _test_problems(bot_folder)
    print_problems(problems, out)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    typer.echo(f"{plural(errors, 'error')}, {plural(warnings, 'warning')}", err=True)
    if errors:
        raise typer.Exit(1)
