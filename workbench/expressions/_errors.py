"""The two errors of the expression layer: one at load time, one at run time."""

from __future__ import annotations

from workbench.schema import WorkbenchError


class ExpressionError(WorkbenchError, ValueError):
    """A condition or template that cannot be accepted (bad syntax, refused construct, too big).

    Raised once, when the bot is loaded. ``column`` is the 0-based character offset in the
    condition's source and ``line`` the 1-based line in a template (each ``None`` when unknown);
    callers add the file and line of the YAML value around it.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str = "",
        column: int | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.column = column
        self.line = line


class EvaluationError(WorkbenchError):
    """A condition or template failed while running (division by zero, bad conversion, ...).

    The message names the expression; the runtime records it as a turn error.
    """

    def __init__(self, message: str, *, source: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.source = source


def shorten(source: str, limit: int = 80) -> str:
    """``source`` cut to ``limit`` characters, for quoting it in a message."""
    flat = " ".join(source.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."
