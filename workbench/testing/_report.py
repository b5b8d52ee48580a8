"""Running a bot's conversation tests from Python (``bot.test()``), with a readable report."""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.runtime import Bot, compile_source
from workbench.runtime._source import display_name
from workbench.schema import plural
from workbench.stores import MemoryStore
from workbench.testing._coverage import NodeCoverage, node_coverage
from workbench.testing._runner import ConvoResult, find_convo_files, run_convo
from workbench.testing._spec import ConvoTest, load_convo_file, load_convo_text

SHOWN_FAILURES = 5
"""Failing tests that ``print(report)`` details (the HTML table lists them all)."""
HOW_TO_ADD = "write one in a %%convo cell, or save a chat as one: chat.save_convo('NAME.convo.yml')"


@dataclass(frozen=True)
class TestReport:
    """The results of a set of conversation tests: ``print(report)`` gives the failures, the
    node coverage and ``N passed, N failed``; in a notebook it shows as a table."""

    __test__ = False  # not a pytest test class
    results: tuple[ConvoResult, ...]
    coverage: NodeCoverage | None = None
    """The nodes the tests' conversations entered."""
    note: str = ""
    """Why no test ran, and how to add one."""

    @property
    def passed(self) -> int:
        return sum(r.passed for r in self.results)

    @property
    def failed(self) -> int:
        return len(self.results) - self.passed

    @property
    def counts(self) -> str:
        """``N passed, N failed``, the last line of ``workbench test``."""
        return f"{self.passed} passed, {self.failed} failed"

    def __str__(self) -> str:
        if not self.results:
            return self.note or "no conversation tests ran"
        lines: list[str] = []
        failing = [r for r in self.results if not r.passed]
        for result in failing[:SHOWN_FAILURES]:
            lines.append(f"FAIL {result.name} ({result.where})")
            lines += [f"  {failure}" for failure in result.failures[:3]]
            if len(result.failures) > 3:
                lines.append(f"  … {plural(len(result.failures) - 3, 'more failure')}")
        if len(failing) > SHOWN_FAILURES:
            lines.append(f"… {plural(len(failing) - SHOWN_FAILURES, 'more failing test')}")
        if self.coverage is not None:
            lines.append(str(self.coverage))
        lines.append(self.counts)
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<TestReport {self.counts}>" if self.results else f"<TestReport: {self.note}>"

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
        if not self.results:
            return f"<p>{html.escape(str(self))}</p>"
        rows = []
        for r in self.results:
            mark = "✅" if r.passed else "❌"
            failures = "<br>".join(html.escape(f) for f in r.failures)
            rows.append(
                f"<tr><td>{mark}</td><td style='text-align:left'>{html.escape(r.name)}</td>"
                f"<td style='text-align:left'><code>{html.escape(r.where)}</code></td>"
                f"<td>{r.turns}</td>"
                f"<td style='color:#b00020;text-align:left'>{failures}</td></tr>"
            )
        colour = "#2e7d32" if not self.failed else "#b00020"
        head = f"<p><b style='color:{colour}'>{html.escape(self.counts)}</b>"
        if self.coverage is not None:
            head += f" · {html.escape(str(self.coverage))}"
        header = "<tr><th></th><th>test</th><th>where</th><th>turns</th><th>failures</th></tr>"
        return head + "</p><table>" + header + "".join(rows) + "</table>"


def collected_tests(bot: Bot) -> tuple[list[ConvoTest], str]:
    """The bot's own tests: its folder's ``tests/*.convo.yml`` and its ``convo_tests`` (the
    ``%%convo`` cells and the chats saved with ``chat.save_convo``); with none, why."""
    tests: list[ConvoTest] = []
    files = find_convo_files(bot.path) if bot.path is not None else []
    folder = display_name(bot.path) if bot.path is not None else ""
    for path in files:
        tests += load_convo_file(path, f"{folder}/tests/{path.name}")
    known = {path.resolve() for path in files}
    for name, test in bot.convo_tests.items():
        if isinstance(test, Path):
            if test.resolve() not in known:
                tests += load_convo_file(test)
        else:
            tests += load_convo_text(test, f"<%%convo {name}>")
    if tests:
        return tests, ""
    where = f" in {folder}/tests/" if folder else " yet"
    return tests, f"no conversation tests{where}: {HOW_TO_ADD}"


def run_tests(bot: Bot, files: Iterable[str | Path] | None = None) -> TestReport:
    """Run ``files``, by default the bot's own tests (see :func:`collected_tests`), on a private
    copy of the bot with an in-memory store, so tests never touch the bot's conversations."""
    if files is None:
        tests, note = collected_tests(bot)
    else:
        tests, note = [t for f in files for t in load_convo_file(Path(f))], "no tests given"
    isolated = Bot(compile_source(bot.source), MemoryStore(), bot.path)
    results = tuple(run_convo(isolated, test) for test in tests)
    return TestReport(results, node_coverage(isolated) if results else None, note)
