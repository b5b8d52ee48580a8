"""The ``workbench`` command line."""

from __future__ import annotations

import typer

from workbench.cli._chat import chat
from workbench.cli._content import content_app
from workbench.cli._dashboard import dashboard
from workbench.cli._export import export
from workbench.cli._lint import lint
from workbench.cli._new import new
from workbench.cli._nlu import nlu_app
from workbench.cli._serve import serve
from workbench.cli._simulate import simulate
from workbench.cli._test import test

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
    app()
