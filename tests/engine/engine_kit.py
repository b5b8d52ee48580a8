"""Helpers for the engine tests (imported by name; pytest puts this folder on ``sys.path``).

``write_bot`` writes a bot folder (YAML and Python texts are dedented so tests can write them
inline); ``Stepper`` drives the pure ``step`` turn after turn; ``texts(replies)`` gives the texts.
"""

from __future__ import annotations

import random
import textwrap
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import workbench as wb
from workbench.content import ContentLibrary
from workbench.engine import Program, StepResult, Timeout, Turn, TurnInput, UserMessage, step
from workbench.flows import flow_set_from_texts
from workbench.runtime._replies import replay
from workbench.runtime._transcript import TurnRows
from workbench.schema import WEB, NLUResult, Reply, Session, TurnError

MakeBot = Callable[..., wb.Bot]


def write_bot(
    folder: Path,
    flows: Mapping[str, str],
    content: Mapping[str, str] | str | None = None,
    actions: str | None = None,
    intents: str | None = None,
    settings: str = "",
) -> Path:
    """Write (or overwrite) a bot folder; ``content`` is one YAML text or ``{file: text}``."""
    (folder / "flows").mkdir(parents=True, exist_ok=True)
    for old in (folder / "flows").glob("*.flow.yml"):
        old.unlink()
    (folder / "bot.yml").write_text("name: t\n" + textwrap.dedent(settings))
    for name, text in flows.items():
        (folder / "flows" / f"{name}.flow.yml").write_text(textwrap.dedent(text))
    if content is not None:
        (folder / "content").mkdir(exist_ok=True)
        files = {"messages": content} if isinstance(content, str) else content
        for name, text in files.items():
            (folder / "content" / f"{name}.yml").write_text(textwrap.dedent(text))
    if actions is not None:
        (folder / "actions.py").write_text(textwrap.dedent(actions))
    if intents is not None:
        (folder / "nlu").mkdir(exist_ok=True)
        (folder / "nlu" / "intents.yml").write_text(textwrap.dedent(intents))
    return folder


class Clock:
    """The runtime's clock, set by hand: ``clock.now = 2000.0``."""

    def __init__(self, now: float) -> None:
        self.now = now

    def time(self) -> float:
        return self.now

    def monotonic(self) -> float:
        return self.now


def texts(replies: Iterable[Reply]) -> list[str]:
    return [r.text for r in replies]


# --- the pure step ------------------------------------------------------------------------


def no_actions(turn: Turn) -> StepResult:
    """Run a step that must not ask for any action."""
    try:
        ctx = next(turn)
    except StopIteration as done:
        result: StepResult = done.value
        return result
    raise AssertionError(f"no action expected, got {ctx.action!r}")


class Stepper:
    """Runs the pure ``step`` turn after turn, keeping session, user and bot variables; renders
    the replies as the runtime does (web channel), and raises ``TurnError`` if the turn failed."""

    def __init__(self, flows: Mapping[str, str], max_visits: int = 10) -> None:
        texts_ = {name: textwrap.dedent(text) for name, text in flows.items()}
        self.program, problems = Program.build(flow_set_from_texts(texts_), ContentLibrary())
        assert not problems
        self.max_visits = max_visits
        self.session: Session | None = None
        self.user: dict[str, Any] = {}
        self.bot: dict[str, Any] = {}
        self.last: StepResult | None = None

    def send(
        self, text: str = "", intent: str = "none", confidence: float = 0.0, entities: Any = ()
    ) -> list[str]:
        nlu = NLUResult(intent=intent, confidence=confidence, entities=tuple(entities))
        return self.run(UserMessage(text, None, nlu))

    def timeout(self) -> list[str]:
        return self.run(Timeout())

    def run(self, event: TurnInput) -> list[str]:
        turn = step(
            self.program,
            self.session,
            self.user,
            self.bot,
            event,
            now=0.0,
            max_visits=self.max_visits,
        )
        result = self.last = no_actions(turn)
        rendered = replay(
            result.events, WEB, "en", random.Random(0), TurnRows("", "", 0, 0, "", "")
        )
        failure = result.failure or rendered.failure
        if failure is not None:
            raise TurnError(failure.message)
        self.session = result.session
        self.user.update(result.user_changes)
        self.bot.update(result.bot_changes)
        return texts(rendered.replies)

    @property
    def stack(self) -> list[str]:
        """The call stack as ``flow.node`` strings, outermost first ([] when ended)."""
        if self.session is None:
            return []
        return [f"{f['flow']}.{f['node']}" for f in self.session["stack"]]

    @property
    def state(self) -> dict[str, Any]:
        return self.session["state"] if self.session else {}
