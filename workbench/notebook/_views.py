"""The views behind ``bot.graph()``, ``bot.chat()``, ``bot.test()``, ... (see
:mod:`workbench.runtime._views`: the runtime finds this class through the ``workbench.views``
entry point). Each loads its module on first use: widgets, the test runner and the simulator
cost nothing until asked for."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.runtime import Bot

if TYPE_CHECKING:
    from workbench.nlu import CrossValidation
    from workbench.notebook._emulator import Emulator
    from workbench.notebook._graph import FlowGraph
    from workbench.notebook._nlu_review import UnhandledReview
    from workbench.notebook._nlu_tester import IntentTester
    from workbench.testing import SimulationReport, TestReport


class NotebookViews:
    """:class:`~workbench.runtime.Views` for notebooks (and for tests and simulation anywhere)."""

    def graph(self, bot: Bot, flow: str | None, **options: Any) -> FlowGraph:
        from workbench.notebook._graph import FlowGraph  # widgets load on first use

        return FlowGraph(bot, flow=flow, **options)

    def chat(self, bot: Bot, user_id: str, **options: Any) -> Emulator:
        from workbench.notebook._emulator import Emulator  # widgets load on first use

        return Emulator(bot, user_id=user_id, **options)

    def test(self, bot: Bot, files: Iterable[str | Path] | None) -> TestReport:
        from workbench.testing import run_tests  # loads on first use

        return run_tests(bot, files)

    def simulate(self, bot: Bot, n: int, **options: Any) -> SimulationReport:
        from workbench.testing import simulate  # loads on first use

        return simulate(bot, n, **options)

    def nlu_tester(self, bot: Bot) -> IntentTester:
        from workbench.notebook._nlu_tester import IntentTester  # widgets load on first use

        return IntentTester(bot)

    def evaluate_nlu(
        self, bot: Bot, folds: int, threshold: float | None, **options: Any
    ) -> CrossValidation:
        from workbench.nlu import cross_validate
        from workbench.testing import progress_bar  # loads on first use

        engine = bot.settings.nlu.engine
        with progress_bar(folds, "cross-validation") as advance:
            return cross_validate(
                bot.source.nlu,
                folds,
                engine=engine if engine != "simple" else "default",
                language=bot.settings.languages[0],
                threshold=bot.settings.nlu.threshold if threshold is None else threshold,
                progress=lambda done, _total: advance(1),
                **options,
            )

    def review_unhandled(
        self, bot: Bot, texts: Iterable[str] | None, **options: Any
    ) -> UnhandledReview:
        from workbench.notebook._nlu_review import UnhandledReview  # widgets load on first use

        return UnhandledReview(bot, texts, **options)


def emulator(bot: Bot, **options: Any) -> Emulator:
    """``wb.emulator(bot)``: the chat emulator for any bot (see :meth:`Bot.chat`)."""
    from workbench.notebook._emulator import Emulator  # widgets load on first use

    return Emulator(bot, **options)
