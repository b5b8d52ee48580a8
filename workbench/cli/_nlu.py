"""``workbench nlu eval``: the NLU engine on the public benchmarks, as a table or JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from workbench.cli._common import err, out

nlu_app = typer.Typer(help="Natural language understanding tools.", no_args_is_help=True)

SETS = "clinc150,clinc150_val_threshold,clinc150_fewshot,botpress_clinc150,banking77,snips2017"


def _rows(report: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(set, metric, value, target) for every plain number of every set."""
    rows = []
    for name, figures in report["results"].items():
        targets = report["targets"].get(name, {})
        for metric, value in figures.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                target = targets.get(metric)
                rows.append((name, metric, f"{value:g}", "" if target is None else f"{target:g}"))
    return rows


@nlu_app.command("eval")
def evaluate(
    sets: Annotated[str, typer.Option(help="Comma-separated data sets.")] = SETS,
    engine: Annotated[str, typer.Option(help="default or embed.")] = "default",
    quick: Annotated[bool, typer.Option(help="One Botpress seed, Snips' smaller pool.")] = False,
    data: Annotated[Path | None, typer.Option(help="Folder of the data sets.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Train and score the NLU engine with each data set's own protocol."""
    # scikit-learn loads here, not when the CLI starts: `workbench chat` must stay quick
    from workbench.nlu import data_root, run_benchmarks

    root = data or data_root()
    if not root.is_dir():
        err.print(f"{root}: no NLU data sets here (set --data or WORKBENCH_NLU_DATA)", style="red")
        raise typer.Exit(1)
    chosen = [s.strip() for s in sets.split(",") if s.strip()]
    report = run_benchmarks(
        root,
        chosen,
        quick=quick,
        engine=engine,
        progress=lambda message: err.print(message, style="dim"),
    )
    if as_json:
        print(json.dumps(report))
        return
    table = Table("set", "metric", "value", "target", title=f"NLU engine: {engine}")
    for row in _rows(report):
        table.add_row(*row)
    out.print(table)
