"""Errors users can cause. Each one carries where it happened (file and line) when known."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from workbench.schema._text import cut

Severity = Literal["error", "warning"]
MAX_MESSAGE = 1_000
"""Longest message a problem keeps, in characters (the rest is cut, marked with "...")."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or suspicious) in a bot folder, located at ``file:line``.

    ``line`` 0 is a whole file (printed as its first line); ``None`` is a path that is no file to
    point into (a missing folder, a file given for a folder), printed as ``path: message``.
    """

    file: str
    line: int | None
    message: str
    severity: Severity = "error"

    def __post_init__(self) -> None:
        if len(self.message) > MAX_MESSAGE:  # never a whole value (an alias bomb's, a file's)
            object.__setattr__(self, "message", cut(self.message, MAX_MESSAGE))

    def __str__(self) -> str:
        # a problem about a whole file (line unknown) points at its first line, so every
        # problem in a file prints as the ``file:line: message`` that `workbench lint` promises,
        # and says it is about the whole file
        where = self.file if self.line is None else f"{self.file}:{self.line or 1}"
        prefix = "" if self.severity == "error" else "warning: "
        suffix = " (file-level)" if self.line == 0 else ""
        return f"{where}: {prefix}{self.message}{suffix}"


class WorkbenchError(Exception):
    """Base class of every error Bot Workbench raises on purpose."""


class BotError(WorkbenchError):
    """A bot folder (or a flow written in a notebook) is invalid.

    ``problems`` lists every error found, not only the first, so a user fixes them in one go.
    """

    def __init__(self, problems: list[Problem] | str, file: str = "", line: int = 0) -> None:
        if isinstance(problems, str):
            problems = [Problem(file, line, problems)]
        self.problems = [p for p in problems if p.severity == "error"] or list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ContentError(WorkbenchError):
    """A content element is invalid or cannot be changed; the message names element and field.

    ``element`` and ``field`` (a path such as ``choices[0].title``) say where, when known, so a
    form can show the message next to the field.
    """

    def __init__(self, message: str, *, element: str = "", field: str = "") -> None:
        super().__init__(message)
        self.element = element
        self.field = field


class ConflictError(WorkbenchError):
    """An edit was based on a revision that is no longer the latest; nothing was written.

    ``latest`` is the revision that won (a ``ContentRevision`` for content), when known.
    """

    def __init__(self, message: str, latest: Any = None) -> None:
        super().__init__(message)
        self.latest = latest


class TurnError(WorkbenchError):
    """A turn could not complete (loop guard, action or template error).

    The runtime catches it, rolls the conversation back and records it; users see it through
    ``conv.last_error`` and the debugger trace, never as an exception from ``conv.say``.
    """

    def __init__(self, message: str, *, flow: str = "", node: str = "", kind: str = "error"):
        self.flow = flow
        self.node = node
        self.kind = kind
        where = f" (in {flow}.{node})" if flow else ""
        super().__init__(f"{message}{where}")
