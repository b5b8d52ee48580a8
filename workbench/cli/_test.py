"""``workbench test BOT``: run the bot's conversation tests."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from workbench.cli._common import load_bot, out, print_problems
from workbench.runtime._source import display_name
from workbench.schema import BotError
from workbench.testing import find_convo_files, node_coverage, run_folder_tests


def test(
    bot_folder: Annotated[Path, typer.Argument(metavar="BOT", help="The bot folder.")],
    verbose: Annotated[bool, typer.Option("-v", "--verbose", help="List every test.")] = False,
) -> None:
    """Run BOT/tests/*.convo.yml; ends with 'N passed, N failed', exits 1 on any failure."""
    bot = load_bot(bot_folder, memory=True)
    files = find_convo_files(bot_folder)
    try:
        results = run_folder_tests(bot, files, display_name(bot_folder))
    except BotError as exc:
        print_problems(exc.problems)
        raise typer.Exit(1) from None
    for result in results:
        if result.passed:
            if verbose:
                out.print(f"[green]PASS[/green] {result.name}")
            continue
        out.print(f"[red]FAIL[/red] {result.name} ({result.where})")
        for failure in result.failures:
            out.print(f"  {failure}", markup=False)
    out.print(str(node_coverage(bot)), markup=False)
    failed = sum(not r.passed for r in results)
    print(f"{len(results) - failed} passed, {failed} failed")
    if failed:
        raise typer.Exit(1)
