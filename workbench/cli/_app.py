"""The ``workbench`` command line."""

from __future__ import annotations

import typer

from workbench.cli._chat import chat
from workbench.cli._common import err
from workbench.cli._content import content_app
from workbench.cli._dashboard import dashboard
from workbench.cli._export import export
from workbench.cli._lint import lint
from workbench.cli._new import new
from workbench.cli._nlu import nlu_app
from workbench.cli._serve import serve
from workbench.cli._simulate import simulate
from workbench.cli._test import test
from workbench.schema import WorkbenchError

app = typer.Typer(
    name="workbench",
    help="Build, test and run conversational bots.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command()(chat)
app.command(name="test")(test)
app.command()(lint)
app.command()(new)
app.command()(simulate)
app.command()(dashboard)
app.command()(serve)
app.add_typer(nlu_app, name="nlu")
app.add_typer(content_app, name="content")
app.command()(export)


def main() -> None:
    """Run a command; a :class:`WorkbenchError` that reaches here (a store that cannot open,
    a bad URL) is one line on stderr and exit status 1, never a traceback."""
    try:
        app()
    except WorkbenchError as exc:
        err.print(f"error: {exc}", style="red", markup=False)
        raise SystemExit(1) from None
