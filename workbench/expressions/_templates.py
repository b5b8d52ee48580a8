"""Templates (``say`` texts, ``set`` values, ``do`` arguments): Jinja2 in the shared sandbox.

Every template means what Jinja's sandbox says. :func:`compile_template` checks a template at
load: text without ``{{``/``{%``/``{#`` is static and never touches Jinja (its text is what Jinja
would print: line breaks as ``\\n``, one trailing line break dropped); anything else is parsed by
the sandbox (:data:`~workbench.expressions._sandbox.ENV`), whose syntax errors (unknown filters and
tests included) are load errors. A template that is exactly one ``{{ expression }}`` also gets
Jinja's compile of that expression, so :meth:`Template.render_value` returns its native value
(``set`` keeps numbers, lists, null). Rendering text and reading a value each have one path,
through Jinja.

Jinja turns a template into Python code on its first render, not at load: parsing costs ~0.1 ms,
generating and compiling the code ~1 ms more. Measured: 10,000 templated elements load in 1.7 s
instead of 4-5.7 s, the ``support`` sample bot in 10.5 ms instead of 34 ms (warm); and only the
texts conversations reach are ever compiled.
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any

from workbench.expressions._errors import EvaluationError, ExpressionError, shorten

if TYPE_CHECKING:
    import jinja2
    from jinja2.environment import TemplateExpression

    from workbench.expressions._sandbox import Sandbox

MAX_TEMPLATE = 20_000
"""Longest template accepted, in characters."""
MAX_OUTPUT = 100_000
"""Longest text a template may render, in characters (and largest value it may give)."""

_MARKERS = ("{{", "{%", "{#")
_LINE_BREAK = re.compile(r"\r\n?")


@dataclass(frozen=True, slots=True)
class Template:
    """A compiled template. ``is_static`` = plain text, rendered without Jinja."""

    source: str
    is_static: bool
    _text: str = field(default="", repr=False, compare=False)
    _template: jinja2.Template | None = field(default=None, repr=False, compare=False)
    _expression: TemplateExpression | None = field(default=None, repr=False, compare=False)
    _lookup: tuple[str, ...] | None = field(default=None, repr=False, compare=False)
    _ready: bool = field(default=False, repr=False, compare=False)
    """Compiled by Jinja (static text always is): see :meth:`_compile`."""

    def render(self, names: Mapping[str, Any]) -> str:
        """The text; unset names, keys and null render as "".

        Raises :class:`EvaluationError` for any failure inside the template (sandbox violation,
        division by zero, a filter error, output over :data:`MAX_OUTPUT` characters, ...).
        """
        template = self._template
        if template is None:
            if self.is_static:
                return self._text
            template = self._compile()._template
        try:
            _env().start_render()
            return _join_limited(template.generate(names))  # type: ignore[union-attr]
        except Exception as exc:
            raise self._failure(exc) from exc

    def render_value(self, names: Mapping[str, Any]) -> Any:
        """The native value of a lone ``{{ expression }}`` (None when unset); else :meth:`render`.

        Lists and dicts come back as fresh copies; values that are not JSON-like (functions,
        ranges, ...) come back as their rendered text. Raises :class:`EvaluationError` as
        :meth:`render` does, also for a value larger than :data:`MAX_OUTPUT`.
        """
        if not self._ready:
            self._compile()
        if self._expression is None:
            return self.render(names)
        path = self._lookup
        if path is not None:  # see _lookup_path: Jinja's value, read without Jinja
            value: Any = names
            for key in path:
                if type(value) is not dict or key not in value:
                    break
                value = value[key]
            else:
                value = _native(value, type(None))
                if _size(value) <= MAX_OUTPUT:
                    return value
        try:
            env = _env()
            env.start_render()
            value = _native(self._expression(names), env.undefined)
            if _size(value) > MAX_OUTPUT:
                raise EvaluationError(f"value is larger than {MAX_OUTPUT} characters")
        except Exception as exc:
            raise self._failure(exc) from exc
        return value

    def _compile(self) -> Template:
        """Have Jinja generate and compile the code (once: the template is then ready).

        Its syntax was checked at load; what only code generation finds (nesting deeper than
        Python compiles) is an :class:`EvaluationError` of the turn, as any render failure."""
        env = _env()
        try:
            with _compile_errors(self.source):
                template = env.from_string(self.source)
                inner = lone_expression(self.source)
                # In parentheses, the expression reads as in {{ }}: "{{ a, b }}" prints a tuple.
                expression = None if inner is None else env.compile_expression(f"({inner})")
        except ExpressionError as exc:
            raise EvaluationError(f"template error in '{shorten(self.source)}': {exc}") from None
        set_field = object.__setattr__  # frozen: filled in once, as if built compiled
        set_field(self, "_template", template)
        set_field(self, "_expression", expression)
        set_field(self, "_lookup", None if inner is None else _lookup_path(inner))
        set_field(self, "_ready", True)
        return self

    def _failure(self, exc: Exception) -> EvaluationError:
        known = (EvaluationError, _jinja2().TemplateError)
        if isinstance(exc, known) and exc.message:
            reason = exc.message
        else:
            reason = f"{type(exc).__name__}: {exc}"
        return EvaluationError(
            f"template error in '{shorten(self.source)}': {reason}", source=self.source
        )


def compile_template(source: str) -> Template:
    """Compile a template; raises :class:`ExpressionError` (with ``line``) if it is invalid."""
    if not isinstance(source, str):
        raise ExpressionError(f"a template must be a string, got {type(source).__name__}")
    if len(source) > MAX_TEMPLATE:
        raise ExpressionError(
            f"template is too long ({len(source)} characters; the limit is {MAX_TEMPLATE})",
            source=source,
        )
    if not any(marker in source for marker in _MARKERS):
        return Template(source, True, _static_text(source), _ready=True)
    env = _env()
    with _compile_errors(source):
        tree = env.parse(source)
        _check_names(env, tree)
    return Template(source, False)


def _check_names(env: Sandbox, tree: jinja2.nodes.Template) -> None:
    """Raise Jinja's own error for a filter or test it does not know (its code generation
    would, at first render: a load error is where a typo belongs)."""
    nodes = importlib.import_module("jinja2.nodes")
    for node in tree.find_all((nodes.Filter, nodes.Test)):
        known, kind = (
            (env.filters, "filter") if isinstance(node, nodes.Filter) else (env.tests, "test")
        )
        if node.name not in known:
            raise _jinja2().TemplateSyntaxError(f"No {kind} named {node.name!r}.", node.lineno)


_LOOKUP = re.compile(r"\s*([A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)*)\s*")
_LITERALS = frozenset({"true", "false", "none", "True", "False", "None"})


def _lookup_path(inner: str) -> tuple[str, ...] | None:
    """``("entities", "size")`` for ``{{ entities.size }}``: a lone expression that is a name
    and keys, which :meth:`Template.render_value` reads without Jinja when every key is in a
    plain dict (Jinja's sandbox reads ``a.b`` on a dict as its key ``b`` first, so the value is
    the same; anything else, a missing key included, goes to Jinja, and
    ``tests/expressions/test_expr_template_semantics.py`` checks both give the same on
    thousands of random templates). Most ``set`` values are such lookups (``{{ text }}``,
    ``{{ entities.size }}``), and a Jinja call costs ~3.5 µs of context set-up: this reads them
    in ~0.3 µs, ~4% of a pizza turn's instructions (553,899 vs 577,791 on the memory store).
    """
    match = _LOOKUP.fullmatch(inner)
    if match is None:
        return None
    path = tuple(key.strip() for key in match.group(1).split("."))
    return None if path[0] in _LITERALS else path


def _static_text(source: str) -> str:
    """What Jinja prints for text without markup (``keep_trailing_newline`` is off)."""
    text = _LINE_BREAK.sub("\n", source)
    return text[:-1] if text.endswith("\n") else text


def lone_expression(source: str) -> str | None:
    """The expression of a template that is one ``{{ expression }}`` and whitespace, else None.

    Decided by Jinja's lexer, so ``{{- x -}}`` and ``{{ '}}' }}`` read as Jinja reads them;
    ``source`` must be a template Jinja compiles.
    """
    inner: list[str] = []
    where = "before"
    for _, kind, value in _env().lex(source):
        if where == "inside":
            if kind == "variable_end":
                where = "after"
            else:
                inner.append(value)
        elif kind == "variable_begin" and where == "before":
            where = "inside"
        elif kind != "data" or value.strip():
            return None
    return "".join(inner) if where == "after" else None


def template_names(source: str) -> set[str]:
    """The names a template reads (``state``, ``user``, ...), without Jinja's own globals."""
    if not any(marker in source for marker in _MARKERS):
        return set()
    env = _env()
    with _compile_errors(source):
        tree = env.parse(source)
    meta = importlib.import_module("jinja2.meta")
    return set(meta.find_undeclared_variables(tree)) - set(env.globals)


def _jinja2() -> ModuleType:
    return importlib.import_module("jinja2")


@functools.cache
def _env() -> Sandbox:
    """The sandboxed environment, built (and Jinja2 imported) on first use."""
    sandbox: Any = importlib.import_module("workbench.expressions._sandbox")
    return sandbox.ENV  # type: ignore[no-any-return]


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


def _join_limited(chunks: Iterator[str]) -> str:
    parts: list[str] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > MAX_OUTPUT:
            raise EvaluationError(f"output is longer than {MAX_OUTPUT} characters")
        parts.append(chunk)
    return "".join(parts)


def _native(value: Any, undefined: type) -> Any:
    """A JSON-like copy of ``value``: undefined and functions are None, tuples are lists,
    others are text."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_native(item, undefined) for item in value]
    if isinstance(value, Mapping):
        return {key: _native(item, undefined) for key, item in value.items()}
    if isinstance(value, undefined) or callable(value):  # a method: never its address
        return None
    return str(value)


def _size(value: Any) -> int:
    """About how many characters ``value`` prints as: its strings' lengths and one per item."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, list):
        return len(value) + sum(_size(item) for item in value)
    if isinstance(value, dict):
        return len(value) + sum(_size(key) + _size(item) for key, item in value.items())
    return 1
