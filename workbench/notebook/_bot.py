"""``wb.Bot``: the runtime's Bot plus the notebook views (graph, emulator, tests, simulation)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.runtime import Bot as RuntimeBot

if TYPE_CHECKING:
    from workbench.nlu import CrossValidation
    from workbench.notebook._emulator import Emulator
    from workbench.notebook._graph import FlowGraph
    from workbench.notebook._nlu_review import UnhandledReview
    from workbench.notebook._nlu_tester import IntentTester
    from workbench.testing import SimulationReport, TestReport


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
        from workbench.testing import run_tests  # loads on first use: ``wb.Bot`` stays light

        return run_tests(self, files)

    def simulate(self, n: int, **options: Any) -> SimulationReport:
        """``n`` conversations with simulated users; see :func:`workbench.testing.simulate`."""
        from workbench.testing import simulate  # loads on first use: ``wb.Bot`` stays light

        return simulate(self, n, **options)

    def nlu_tester(self) -> IntentTester:
        """Type a sentence, see the ranked intents and entities of the bot's current model."""
        from workbench.notebook._nlu_tester import IntentTester  # widgets load on first use

        return IntentTester(self)

    def evaluate_nlu(
        self, folds: int = 5, *, threshold: float | None = None, **options: Any
    ) -> CrossValidation:
        """Cross-validate the bot's intents (each fold held out in turn), with a progress bar.

        The result has ``.report`` (accuracy, per-intent F1, confusion matrix), ``.curve()``
        (scores by threshold) and ``.mistakes()``; ``workbench.notebook`` charts them. The
        scores use ``threshold``, else the one in ``bot.yml``, else the folds' calibrated one.
        """
        from workbench.nlu import cross_validate
        from workbench.testing import progress_bar  # loads on first use

        with progress_bar(folds, "cross-validation") as advance:
            return cross_validate(
                self.source.nlu,
                folds,
                engine=self.settings.nlu.engine
                if self.settings.nlu.engine != "simple"
                else "default",
                language=self.settings.languages[0],
                threshold=self.settings.nlu.threshold if threshold is None else threshold,
                progress=lambda done, _total: advance(1),
                **options,
            )

    def review_unhandled(
        self, texts: Iterable[str] | None = None, **options: Any
    ) -> UnhandledReview:
        """What users said that the bot did not understand (default: from its transcripts),
        with an intent picker each; picks become training examples."""
        from workbench.notebook._nlu_review import UnhandledReview  # widgets load on first use

        return UnhandledReview(self, texts, **options)


def emulator(bot: RuntimeBot, **options: Any) -> Emulator:
    """``wb.emulator(bot)``: the chat emulator for any bot (see :meth:`Bot.chat`)."""
    from workbench.notebook._emulator import Emulator  # widgets load on first use

    return Emulator(bot, **options)
