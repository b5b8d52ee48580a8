"""Templates (``say`` texts, ``set`` values, ``do`` arguments): Jinja2 in the shared sandbox.

Checked once by :func:`compile_template`. Text without ``{{``/``{%``/``{#`` never touches Jinja.
A source that is exactly one ``{{ expression }}`` also gets an expression, so
:meth:`Template.render_value` can return native values (``set`` keeps numbers, lists, null);
when the condition compiler reads that expression (``{{ (user.orders or 0) + 1 }}``), it is
evaluated without Jinja. Text whose every ``{{ }}`` is a plain lookup and every ``{% %}`` an
``if`` on one (``Your {{ state.size }} pizza``: most messages) renders without Jinja when the
values are there (see :mod:`workbench.expressions._lookups`).

Jinja2 (and the sandbox built on it) is imported by the first template that needs it, not by
``import workbench``: it is a fifth of the package's import time, and plain text never needs it.
A template :func:`~workbench.expressions._template_scan.scan` reads (text, expressions, ``if``
blocks) is valid Jinja by construction, so even its Jinja compile waits for a render that needs
it: a bot whose templates all render without Jinja loads and runs without importing it.
"""

from __future__ import annotations

import functools
import importlib
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any

from workbench.expressions._conditions import Condition, parse_condition
from workbench.expressions._errors import EvaluationError, ExpressionError, shorten
from workbench.expressions._functions import FUNCTIONS
from workbench.expressions._lookups import Lookups
from workbench.expressions._template_scan import Segment, scan

if TYPE_CHECKING:
    import jinja2
    from jinja2.environment import TemplateExpression

    from workbench.expressions._sandbox import Sandbox

MAX_TEMPLATE = 20_000
"""Longest template accepted, in characters."""
MAX_OUTPUT = 100_000
"""Longest text a template may render, in characters."""

TEMPLATE_GLOBALS = frozenset({"range", "dict", "cycler", "joiner", "namespace", "null", *FUNCTIONS})
"""The names the template environment defines (a test checks them against it)."""

_MARKERS = ("{{", "{%", "{#")
_REFUSED_TOKENS = frozenset(
    {"block_begin", "comment_begin", "raw_begin", "linestatement_begin", "linecomment_begin"}
)


class _Jinja:
    """Jinja's compile of a template (and of its lone expression), made on first use.

    A template :func:`scan` accepts is valid Jinja, so its compile waits for a render that needs
    it: most never do (see :class:`Template`). Two threads compiling at once both get a
    working template; one of them is kept.
    """

    __slots__ = ("_expression", "_template", "inner", "source")

    def __init__(
        self,
        source: str,
        inner: str | None,
        template: jinja2.Template | None = None,
        expression: TemplateExpression | None = None,
    ) -> None:
        self.source, self.inner = source, inner
        self._template, self._expression = template, expression

    def template(self) -> jinja2.Template:
        if self._template is None:
            with _compile_errors(self.source):
                self._template = _env().from_string(self.source)
        return self._template

    def expression(self) -> TemplateExpression:
        if self._expression is None:
            assert self.inner is not None, "only a lone {{ expression }} has one"
            with _compile_errors(self.source):
                self._expression = _env().compile_expression(self.inner)
        return self._expression


@dataclass(frozen=True, slots=True)
class Template:
    """A compiled template. ``is_static`` = plain text, rendered as itself."""

    source: str
    is_static: bool
    _jinja: _Jinja | None = field(default=None, repr=False, compare=False)
    _fast: Condition | None = field(default=None, repr=False, compare=False)
    _lookups: Lookups | None = field(default=None, repr=False, compare=False)

    def render(self, names: Mapping[str, Any]) -> str:
        """The text; unset names, keys and null render as "".

        Raises :class:`EvaluationError` for any failure inside the template (sandbox violation,
        division by zero, a filter error, output over :data:`MAX_OUTPUT` characters, ...).
        """
        if self._jinja is None:
            return self.source
        if self._lookups is not None:
            text = self._lookups.render(names)
            if text is not None and len(text) <= MAX_OUTPUT:
                return text
        try:
            return _join_limited(self._jinja.template().generate(names))
        except Exception as exc:
            raise self._failure(exc) from exc

    def render_value(self, names: Mapping[str, Any]) -> Any:
        """The native value of a lone ``{{ expression }}`` (None when unset); else :meth:`render`.

        Lists and dicts come back as fresh copies; values that are not JSON-like (functions,
        ranges, ...) come back as their rendered text.
        """
        if self._jinja is None or self._jinja.inner is None:
            return self.render(names)
        try:
            if self._fast is not None:
                return _native(self._fast.evaluate(names))
            return _native(self._jinja.expression()(names))
        except Exception as exc:
            raise self._failure(exc) from exc

    def jinja(self) -> jinja2.Template | None:
        """Jinja's compiled template (compiled now if it was not yet); None for plain text."""
        return None if self._jinja is None else self._jinja.template()

    def _failure(self, exc: Exception) -> EvaluationError:
        jinja = sys.modules.get("jinja2")  # only a loaded Jinja fails with a Jinja error
        known = (EvaluationError, ExpressionError) + (
            () if jinja is None else (jinja.TemplateError,)
        )
        if isinstance(exc, known) and exc.message:
            reason = exc.message
        else:
            reason = f"{type(exc).__name__}: {exc}"
        return EvaluationError(
            f"template error in '{shorten(self.source)}': {reason}", source=self.source
        )


def compile_template(source: str) -> Template:
    """Compile a template; raises :class:`ExpressionError` (with ``line``) if it is invalid.

    A template :func:`scan` reads is valid without asking Jinja, which compiles it on the first
    render that needs it; any other is compiled by Jinja now, which reports its errors.
    """
    if not isinstance(source, str):
        raise ExpressionError(f"a template must be a string, got {type(source).__name__}")
    if len(source) > MAX_TEMPLATE:
        raise ExpressionError(
            f"template is too long ({len(source)} characters; the limit is {MAX_TEMPLATE})",
            source=source,
        )
    if not any(marker in source for marker in _MARKERS):
        return Template(source, is_static=True)
    segments = scan(source)
    if segments is not None:  # valid Jinja: compiled by the first render that needs Jinja
        inner = _lone_expression(segments)
        lookups = None if "\r" in source else Lookups.of(segments, TEMPLATE_GLOBALS)
        return Template(source, False, _Jinja(source, inner), _fast_path(inner), lookups)
    env = _env()
    with _compile_errors(source):
        template = env.from_string(source)
        inner = _single_expression(env, source)
        expression = None if inner is None else env.compile_expression(inner)
    return Template(source, False, _Jinja(source, inner, template, expression), _fast_path(inner))


def _lone_expression(segments: list[Segment]) -> str | None:
    """The expression of a template that is one ``{{ expression }}`` and spaces, else None."""
    printed = [value for kind, value in segments if kind == "print"]
    alone = all(kind in ("text", "print") for kind, _ in segments)
    blank = all(not value.strip() for kind, value in segments if kind == "text")
    return printed[0] if alone and blank and len(printed) == 1 else None


def _jinja2() -> ModuleType:
    return importlib.import_module("jinja2")


@functools.cache
def _env() -> Sandbox:
    """The sandboxed environment, built (and Jinja2 imported) on first use."""
    sandbox: Any = importlib.import_module("workbench.expressions._sandbox")
    return sandbox.ENV  # type: ignore[no-any-return]


def _fast_path(inner: str | None) -> Condition | None:
    """The condition compiler's version of a lone expression, when the grammar covers it.

    ``{{ entities.size }}`` or ``{{ (user.orders or 0) + 1 }}`` then evaluate in well under a
    microsecond instead of through a Jinja context; filters and Jinja-only syntax keep Jinja.
    """
    if inner is None or "__" in inner:  # let Jinja's sandbox refuse dunder lookups loudly
        return None
    try:
        return parse_condition(inner)
    except ExpressionError:
        return None


def template_names(source: str) -> set[str]:
    """The names a template reads (``state``, ``user``, ...), without Jinja's own globals."""
    if not any(marker in source for marker in _MARKERS):
        return set()
    env = _env()
    with _compile_errors(source):
        tree = env.parse(source)
    meta = importlib.import_module("jinja2.meta")
    return set(meta.find_undeclared_variables(tree)) - set(env.globals)


@contextmanager
def _compile_errors(source: str) -> Iterator[None]:
    try:
        yield
    except _jinja2().TemplateSyntaxError as exc:
        raise _syntax_error(source, exc) from None
    except (RecursionError, MemoryError, SyntaxError):  # SyntaxError: Python refused the code
        raise ExpressionError(  # Jinja generated (too many nested blocks or parentheses)
            "template is too complex (nested too deeply)", source=source
        ) from None


def _syntax_error(source: str, exc: jinja2.TemplateSyntaxError) -> ExpressionError:
    line = exc.lineno or None
    where = f" on line {line}" if line else ""
    return ExpressionError(f"template syntax error{where}: {exc.message}", source=source, line=line)


def _single_expression(env: Sandbox, source: str) -> str | None:
    """The expression inside ``source`` if it is exactly one ``{{ ... }}`` (spaces around ok)."""
    blocks = 0
    for _, kind, value in env.lex(source):
        if kind in _REFUSED_TOKENS or (kind == "data" and value.strip()):
            return None
        blocks += kind == "variable_begin"
    if blocks != 1:
        return None
    inner = source.strip()[2:-2]
    if inner[:1] in ("-", "+"):  # whitespace control: {{- x -}}
        inner = inner[1:]
    if inner[-1:] in ("-", "+"):
        inner = inner[:-1]
    return inner


def _join_limited(chunks: Iterator[str]) -> str:
    parts: list[str] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > MAX_OUTPUT:
            raise EvaluationError(f"output is longer than {MAX_OUTPUT} characters")
        parts.append(chunk)
    return "".join(parts)


def _native(value: Any) -> Any:
    """A JSON-like copy of ``value``: undefined is None, tuples are lists, others are text."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_native(item) for item in value]
    if isinstance(value, Mapping):
        return {key: _native(item) for key, item in value.items()}
    if _is_undefined(value):
        return None
    return str(value)


def _is_undefined(value: Any) -> bool:
    """A Jinja undefined (there is none unless Jinja is loaded)."""
    jinja = sys.modules.get("jinja2")
    return jinja is not None and isinstance(value, jinja.Undefined)
