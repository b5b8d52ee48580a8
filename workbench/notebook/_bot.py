"""``wb.Bot``: the runtime's Bot plus the notebook views (graph, emulator, tests, simulation)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.runtime import Bot as RuntimeBot
from workbench.testing import SimulationReport, TestReport, run_tests, simulate

if TYPE_CHECKING:
    from workbench.notebook._emulator import Emulator
    from workbench.notebook._graph import FlowGraph


class Bot(RuntimeBot):
    """A bot with notebook views. ``Bot.load`` / ``Bot.new`` work as in the runtime."""

    def graph(self, flow: str | None = None, **options: Any) -> FlowGraph:
        """The flows as an interactive graph (ipycytoscape), live while conversations run."""
        from workbench.notebook._graph import FlowGraph  # widgets load on first use

        return FlowGraph(self, flow=flow, **options)

    def chat(self, user_id: str = "notebook-user", **options: Any) -> Emulator:
        """A chat emulator with a state and trace debugger beside it."""
        from workbench.notebook._emulator import Emulator  # widgets load on first use

        return Emulator(self, user_id=user_id, **options)

    def test(self, files: Iterable[str | Path] | None = None) -> TestReport:
        """Run the conversation tests (default: the folder's ``tests/*.convo.yml``) on a
        private in-memory copy of the bot; the report shows as a table, ``.to_frame()`` gives
        a DataFrame."""
        return run_tests(self, files)

    def simulate(self, n: int, **options: Any) -> SimulationReport:
        """``n`` conversations with simulated users; see :func:`workbench.testing.simulate`."""
        return simulate(self, n, **options)


def emulator(bot: RuntimeBot, **options: Any) -> Emulator:
    """``wb.emulator(bot)``: the chat emulator for any bot (see :meth:`Bot.chat`)."""
    from workbench.notebook._emulator import Emulator  # widgets load on first use

    return Emulator(bot, **options)
