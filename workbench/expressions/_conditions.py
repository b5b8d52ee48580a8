"""Conditions (``when:``): parsed once at load into closures, evaluated on every message.

The syntax is Python's expression syntax, parsed with :func:`ast.parse`; only a whitelist of node
types is compiled (see :mod:`workbench.expressions._compiler`). Nothing is ever ``eval``-ed.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from workbench.expressions._compiler import Compiler, Fn
from workbench.expressions._errors import EvaluationError, ExpressionError, shorten

MAX_SOURCE = 2_000
"""Longest condition accepted, in characters."""

_STATEMENTS = {
    ast.Import: "'import' is not allowed: a condition is a single expression",
    ast.ImportFrom: "'import' is not allowed: a condition is a single expression",
    ast.Assign: "assignment is not allowed in a condition; use == to compare",
    ast.AugAssign: "assignment is not allowed in a condition",
    ast.AnnAssign: "assignment is not allowed in a condition",
}


@dataclass(frozen=True, slots=True)
class Condition:
    """A parsed condition. ``variables`` are the top-level names it reads (``state``, ...)."""

    source: str
    variables: frozenset[str]
    _fn: Fn = field(repr=False, compare=False)

    def evaluate(self, names: Mapping[str, Any]) -> Any:
        """The condition's value; names missing from ``names`` read as null.

        Raises :class:`EvaluationError` (division by zero, a bad conversion, ...).
        """
        try:
            return self._fn(names)
        except Exception as exc:
            raise self._failure(exc) from (None if isinstance(exc, EvaluationError) else exc)

    def holds(self, names: Mapping[str, Any]) -> bool:
        """Whether the condition is true (Python truthiness of :meth:`evaluate`)."""
        try:
            return bool(self._fn(names))
        except Exception as exc:
            raise self._failure(exc) from (None if isinstance(exc, EvaluationError) else exc)

    def _failure(self, exc: Exception) -> EvaluationError:
        reason = exc.message if isinstance(exc, EvaluationError) else f"{type(exc).__name__}: {exc}"
        return EvaluationError(
            f"cannot evaluate condition '{shorten(self.source)}': {reason}", source=self.source
        )


def parse_condition(source: str) -> Condition:
    """Parse and compile a condition; raises :class:`ExpressionError` if it is not allowed.

    Line breaks count as spaces, so a long condition may be folded over several YAML lines.
    """
    if not isinstance(source, str):
        raise ExpressionError(f"a condition must be a string, got {type(source).__name__}")
    if len(source) > MAX_SOURCE:
        raise ExpressionError(
            f"condition is too long ({len(source)} characters; the limit is {MAX_SOURCE})",
            source=source,
        )
    flat = source.replace("\r", " ").replace("\n", " ")
    text = flat.lstrip()
    lead = len(flat) - len(text)
    if not text.strip():
        raise ExpressionError("condition is empty", source=source, column=0)
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise _syntax_error(source, text, lead, exc) from None
    except (RecursionError, MemoryError):
        raise _too_complex(source) from None
    except ValueError as exc:  # e.g. a NUL character
        raise ExpressionError(f"invalid condition: {exc}", source=source) from None
    compiler = Compiler(source, text, lead)
    try:
        fn = compiler.compile(tree.body)
    except RecursionError:
        raise _too_complex(source) from None
    return Condition(source, frozenset(compiler.variables), fn)


def _too_complex(source: str) -> ExpressionError:
    return ExpressionError("condition is too complex (nested too deeply)", source=source)


def _syntax_error(source: str, text: str, lead: int, exc: SyntaxError) -> ExpressionError:
    """A clear message for what Python's parser refused (statements, walrus, plain typos)."""
    explained = _explain_statement(source, text, lead) or _explain_bare(source, text, lead)
    if explained is not None:
        return explained
    offset = exc.offset or 0
    if exc.lineno not in (None, 1) or not 0 < offset <= len(text):
        column = len(source)
        message = "incomplete condition (unexpected end)"
    else:
        column = lead + offset - 1
        message = exc.msg if exc.msg != "invalid syntax" else "invalid syntax"
    return ExpressionError(
        f"{message} (column {column + 1}) in '{shorten(source)}'", source=source, column=column
    )


def _explain_statement(source: str, text: str, lead: int) -> ExpressionError | None:
    """Statements (``import os``, ``a = 1``) or several expressions (``a; b``) parse as a module."""
    try:
        body = ast.parse(text, mode="exec").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    compiler = Compiler(source, text, lead)
    for statement in body:
        if not isinstance(statement, ast.Expr):
            default = f"'{type(statement).__name__}' statements are not allowed in a condition"
            return compiler.refuse(statement, _STATEMENTS.get(type(statement), default))
    if len(body) > 1:
        return compiler.refuse(body[1], "a condition is a single expression")
    return None


def _explain_bare(source: str, text: str, lead: int) -> ExpressionError | None:
    """Constructs only valid inside parentheses (a bare ``x := 1``): report why they are refused."""
    try:
        tree = ast.parse(f"({text})", mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    if not isinstance(tree.body, ast.NamedExpr):
        return None
    return Compiler(source, f"({text})", lead - 1).refuse(
        tree.body, "assignment expressions (:=) are not allowed; use == to compare"
    )
