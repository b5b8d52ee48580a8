"""Running a bot's conversation tests from Python, with results as a table."""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.runtime import Bot, compile_source
from workbench.stores import MemoryStore
from workbench.testing._runner import ConvoResult, find_convo_files, run_convo
from workbench.testing._spec import load_convo_file


@dataclass(frozen=True)
class TestReport:
    """The results of a set of conversation tests."""

    __test__ = False  # not a pytest test class
    results: tuple[ConvoResult, ...]

    @property
    def passed(self) -> int:
        return sum(r.passed for r in self.results)

    @property
    def failed(self) -> int:
        return len(self.results) - self.passed

    def __str__(self) -> str:
        return f"{self.passed} passed, {self.failed} failed"

    def to_frame(self) -> Any:
        """One row per conversation: name, where, passed, turns, failures (pandas)."""
        import pandas as pd  # optional dependency, loaded on use

        return pd.DataFrame(
            [
                {
                    "test": r.name,
                    "where": r.where,
                    "passed": r.passed,
                    "turns": r.turns,
                    "failures": "\n".join(r.failures),
                }
                for r in self.results
            ]
        )

    def _repr_html_(self) -> str:
        rows = []
        for r in self.results:
            mark = "✅" if r.passed else "❌"
            failures = "<br>".join(html.escape(f) for f in r.failures)
            rows.append(
                f"<tr><td>{mark}</td><td>{html.escape(r.name)}</td>"
                f"<td><code>{html.escape(r.where)}</code></td>"
                f"<td style='color:#b00020'>{failures}</td></tr>"
            )
        head = f"<p><b>{self}</b></p>"
        return head + "<table>" + "".join(rows) + "</table>"


def run_tests(bot: Bot, files: Iterable[str | Path] | None = None) -> TestReport:
    """Run ``files`` (default: the bot folder's ``tests/*.convo.yml``) on a private copy of the
    bot with an in-memory store, so tests never touch the bot's own conversations."""
    if files is None:
        if bot.path is None:
            raise ValueError("this bot has no folder: pass the .convo.yml files to run")
        paths = find_convo_files(bot.path)
    else:
        paths = [Path(f) for f in files]
    isolated = Bot(compile_source(bot.source), MemoryStore(), bot.path)
    results = [run_convo(isolated, test) for path in paths for test in load_convo_file(path)]
    return TestReport(tuple(results))
