"""``workbench simulate BOT -n N``: many conversations with simulated users, and a summary."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from workbench.cli._common import err, load_bot, out, print_problems
from workbench.schema import BotError, plural
from workbench.testing._simulate_users import PERSONAS, named_user

if TYPE_CHECKING:
    from workbench.testing._simulate_report import SimulationReport

_USER_HELP = (
    f"Who talks to the bot: {', '.join(PERSONAS)}, or the name of a conversation test in "
    "BOT/tests (played as a script)."
)


def simulate(
    bot_folder: Annotated[Path, typer.Argument(metavar="BOT", help="The bot folder.")],
    n: Annotated[int, typer.Option("-n", "--conversations", min=1, help="How many.")] = 1000,
    seed: Annotated[int | None, typer.Option(help="Seed: the same seed, the same run.")] = None,
    max_turns: Annotated[int, typer.Option(min=1, help="Turns before a user gives up.")] = 20,
    db: Annotated[
        str | None, typer.Option("--db", help="Store URL (default: the bot's SQLite file).")
    ] = None,
    user: Annotated[str, typer.Option(help=_USER_HELP)] = "random",
    workers: Annotated[
        int | None, typer.Option(min=1, help="Processes (default: all cores for big runs).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Simulate conversations; transcripts go to the store with ids starting 'sim-'."""
    # the simulator loads with this command only: other commands start without it
    from workbench.testing._simulate import simulate as run_simulation

    bot = load_bot(bot_folder, db, turns=True)
    try:
        simulated = named_user(user, bot_folder)
        report = run_simulation(
            bot, n, user=simulated, max_turns=max_turns, seed=seed, workers=workers
        )
    except BotError as exc:  # a conversation test that does not load
        print_problems(exc.problems)
        raise typer.Exit(1) from None
    except ValueError as exc:
        err.print(str(exc), style="red", markup=False)
        raise typer.Exit(1) from None
    finally:
        bot.store.close()
    if as_json:
        print(json.dumps(report.summary(), indent=2, ensure_ascii=False))
        return
    out.print(summary_table(report))


def summary_table(report: SimulationReport) -> Table:
    """The report as a two-column table."""
    from workbench.testing._simulate_report import edge_text  # see simulate()
    from workbench.testing._simulate_views import top_text

    summary = report.summary()
    nodes, edges, lengths = (
        summary["node_coverage"],
        summary["transition_coverage"],
        summary["lengths"],
    )
    per_s = summary["conversations_per_s"]
    processes = plural(report.workers, "process", "processes")
    table = Table(
        title=f"Simulation of {report.bot} · user {report.user} · seed {report.seed}",
        show_header=False,
        title_justify="left",
    )
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    rows = [
        ("conversations", f"{report.conversations:,} ({plural(report.turns, 'turn')})"),
        ("node coverage", f"{nodes['visited']}/{nodes['total']} ({nodes['ratio']:.1%})"),
        ("never reached", ", ".join(report.never_reached) or "none"),
        ("transitions", f"{edges['taken']}/{edges['total']} ({edges['ratio']:.1%})"),
        ("never taken", "; ".join(edge_text(e) for e in report.never_taken[:5]) or "none"),
        (
            "turn errors",
            f"{report.turn_errors:,}"
            + (f": {top_text(report.error_counts)}" if report.turn_errors else ""),
        ),
        ("dead ends", top_text(report.dead_ends)),
        ("loops", top_text(report.loops)),
        ("drop-offs", top_text(report.drop_offs)),
        ("outcomes", ", ".join(f"{k} {v:,}" for k, v in report.outcomes.items()) or "none"),
        (
            "lengths",
            f"mean {lengths['mean']}, p50 {lengths['p50']}, p95 {lengths['p95']}, "
            f"max {lengths['max']}",
        ),
        (
            "time",
            f"{report.seconds:.2f} s"
            + (f" ({per_s:,.0f} conversations/s, {processes})" if per_s else ""),
        ),
        (
            "stored",
            f"run {report.run_id}: conversation ids sim-{report.run_id}-N in {report.store}",
        ),
    ]
    for name, value in rows:
        table.add_row(name, value)
    return table
