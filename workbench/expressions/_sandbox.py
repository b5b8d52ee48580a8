"""The one Jinja2 environment templates run in: sandboxed, immutable, lenient about unset names.

On top of Jinja's :class:`ImmutableSandboxedEnvironment` (no ``_`` attributes, no mutation of the
values passed in):

- ``a.b`` on a dict reads the key ``b`` first (``state.items`` is the state's ``items``, not the
  dict method); unset names and keys are a chainable undefined that renders as "";
- an unsafe attribute raises at once instead of rendering an undefined;
- the one-liner memory bombs are refused: ``*`` building more than ``MAX_ITEMS`` items, huge
  ``**``, padding widths (``%9999999s``, ``center``, ``ljust``, ``{:>9999999}``, ...), big
  ``replace``/``batch``/``slice``/``range``; ``lipsum`` is gone. Output is capped by the caller;
- what grows step by step is bounded too, so a hostile or buggy template is a quick error, not
  gigabytes (see :mod:`~workbench.expressions._bounds`): one render may take ``MAX_STEPS`` loop
  iterations and calls (macros included),
  and no value it makes (``~``, ``+`` but for ``n + 1``, ``%``, a call's result, the result of
  a filter that can grow what it is given, a list or dict literal, what ``{{ }}`` prints) may be
  larger than ``MAX_VALUE`` (characters, and one per item, counted as if shared parts were
  copied: ``[l, l]`` nested 60 times is refused early). Loops count their steps and values are
  checked by rewriting each template's tree before Jinja generates its code (``Bounded``);
  what is not rewritten costs nothing;
- a function or method printed or stored (``{{ text.upper }}``, parentheses forgotten) is the
  empty string or null, as an unset value: never its ``<built-in method ... at 0x...>``.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Callable, Mapping, MutableMapping
from typing import Any

from jinja2 import ChainableUndefined, Undefined, filters, nodes
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from workbench.expressions._bounds import (
    GROWING_FILTERS,
    Bounded,
    check_size,
    join_parts,
    sized_filter,
    step,
    steps,
)
from workbench.expressions._errors import EvaluationError
from workbench.expressions._functions import FUNCTIONS
from workbench.expressions._values import MAX_ITEMS, check_multiply

MAX_POWER_BITS = 100_000
"""Largest integer (in bits) that ``**`` may build."""
_PRINTF = re.compile(r"%(?:\([^)]*\))?[#0 +\-]*(\*|\d*)(?:\.(\*|\d*))?")
_PADDING_METHODS = ("center", "ljust", "rjust", "zfill")


def _limit(size: int, what: str) -> None:
    if size > MAX_ITEMS:
        raise EvaluationError(f"{what} would build {size} characters (the limit is {MAX_ITEMS})")


def check_printf(fmt: str) -> None:
    """Refuse ``%``-formatting with a ``*`` or a width/precision above :data:`MAX_ITEMS`."""
    for match in _PRINTF.finditer(fmt):
        for number in match.groups():
            if number == "*":
                raise EvaluationError("'*' widths are not allowed in '%' formatting")
            if number:
                _limit(int(number), "'%' formatting")


def check_brace_format(fmt: str) -> None:
    """Refuse ``str.format`` specs with nested fields or widths above :data:`MAX_ITEMS`."""
    try:
        fields = list(string.Formatter().parse(fmt))
    except ValueError:
        return  # format() itself will report the malformed string
    for _, _, spec, _ in fields:
        if spec and "{" in spec:
            raise EvaluationError("nested '{...}' format specs are not allowed")
        for number in re.findall(r"\d+", spec or ""):
            _limit(int(number), "format()")


def _check_power(left: Any, right: Any) -> None:
    if isinstance(left, int) and isinstance(right, int) and right > 0:
        bits = max(abs(left).bit_length(), 1) * right
        if bits > MAX_POWER_BITS:
            raise EvaluationError(f"'**' would build a {bits}-bit number")


def _check_str_method(method: Any, args: tuple[Any, ...]) -> None:
    """Bound the output of ``"x".center(n)``-style calls on strings before running them."""
    owner, name = getattr(method, "__self__", None), getattr(method, "__name__", "")
    if not isinstance(owner, str):
        return
    if name in _PADDING_METHODS and args and isinstance(args[0], int):
        _limit(args[0], f"{name}()")
    elif name == "expandtabs" and args and isinstance(args[0], int):
        _limit(len(owner) + owner.count("\t") * args[0], "expandtabs()")
    elif name == "replace" and len(args) >= 2:
        _check_replace(owner, *args)
    elif name == "join" and args and hasattr(args[0], "__len__"):
        _limit(len(owner) * len(args[0]), "join()")


def _check_replace(text: Any, old: Any, new: Any, count: Any = None) -> None:
    text, old, new = str(text), str(old), str(new)
    hits = text.count(old) + (1 if old == "" else 0)
    if isinstance(count, int) and count >= 0:
        hits = min(hits, count)
    _limit(len(text) + hits * (len(new) - len(old)), "replace()")


def _guard(original: Callable[..., Any], check: Callable[..., None]) -> Callable[..., Any]:
    """``original`` with ``check`` run first on the same arguments (Jinja pass-args preserved)."""

    @functools.wraps(original)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        check(*args, **kwargs)
        return original(*args, **kwargs)

    return guarded


def _check_center(value: Any, width: Any = 80) -> None:
    if isinstance(width, int):
        _limit(width, "center")


def _check_indent(text: Any, width: Any = 4, *_: Any, **__: Any) -> None:
    text = str(text)
    pad = width if isinstance(width, int) else len(str(width))
    _limit(len(text) + (text.count("\n") + 1) * pad, "indent")


def _check_format(value: Any, *_: Any, **__: Any) -> None:
    check_printf(str(value))


def _check_replace_filter(eval_ctx: Any, text: Any, old: Any, new: Any, count: Any = None) -> None:
    _check_replace(text, old, new, count)


def _check_wordwrap(env: Any, text: Any, width: Any = 79, *args: Any, **kwargs: Any) -> None:
    wrap = kwargs.get("wrapstring") or (args[1] if len(args) > 1 else None) or "\n"
    text = str(text)
    breaks = len(text) // max(width if isinstance(width, int) else 1, 1) + text.count("\n") + 1
    _limit(len(text) + breaks * len(str(wrap)), "wordwrap")


def _check_join(eval_ctx: Any, value: Any, d: Any = "", attribute: Any = None) -> None:
    if hasattr(value, "__len__"):
        _limit(len(str(d)) * len(value), "join")


def _check_count(value: Any, count: Any, fill_with: Any = None) -> None:
    if isinstance(count, int):
        _limit(count, "batch/slice")


def _range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_ITEMS:
        raise EvaluationError(f"range() of {len(numbers)} items (the limit is {MAX_ITEMS})")
    return numbers


def _lenient(fn: Callable[..., Any]) -> Callable[..., Any]:
    """A condition function for templates: undefined arguments are null, as in conditions."""

    @functools.wraps(fn)
    def call(*args: Any) -> Any:
        return fn(*(None if isinstance(arg, Undefined) else arg for arg in args))

    return call


def _finalize(value: Any) -> Any:
    """What ``{{ }}`` prints: null, and a function or method, is the empty string, like an unset
    value; anything larger than ``MAX_VALUE`` is an error before it is turned into text."""
    cls = type(value)
    if cls is str or cls is int or cls is float:  # the output as a whole is capped by the caller
        return value
    if value is None or (callable(value) and not isinstance(value, Undefined)):
        return ""
    return check_size(value, "'{{ }}' would print a value")


class Sandbox(ImmutableSandboxedEnvironment):
    """The sandbox with the guards described in the module docstring."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, Mapping):
            try:
                return obj[attribute]
            except (KeyError, TypeError):
                pass
        return super().getattr(obj, attribute)

    def unsafe_undefined(self, obj: Any, attribute: str) -> Any:
        raise SecurityError(
            f"access to attribute {attribute!r} of {type(obj).__name__!r} object is unsafe"
        )

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            check_multiply(left, right)
        elif operator == "**":
            _check_power(left, right)
        elif operator == "%" and isinstance(left, str):  # '%' formatting
            check_printf(left)
        return check_size(
            super().call_binop(context, operator, left, right), f"'{operator}' would make a value"
        )

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        step(__context)
        _check_str_method(__obj, args)
        return check_size(super().call(__context, __obj, *args, **kwargs), "a call made a value")

    def _generate(
        self,
        source: nodes.Template,
        name: str | None,
        filename: str | None,
        defer_init: bool = False,
    ) -> str:
        # every template's code is generated from its tree rewritten (see Bounded)
        bounded = Bounded().visit(source)
        return super()._generate(bounded, name, filename, defer_init)

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        # A flat copy instead of Jinja's ChainMap: copying a ChainMap into every render's
        # context is most of the cost of a small template. ENV.globals never change after setup.
        return {**self.globals, **(d or {})}

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            check_brace_format(value.__self__)
        return wrapped


def _make_environment() -> Sandbox:
    env = Sandbox(
        autoescape=False,
        undefined=ChainableUndefined,
        finalize=_finalize,
        keep_trailing_newline=False,
    )
    env.filters.update(
        center=_guard(filters.do_center, _check_center),
        indent=_guard(filters.do_indent, _check_indent),
        format=_guard(filters.do_format, _check_format),
        replace=_guard(filters.do_replace, _check_replace_filter),
        wordwrap=_guard(filters.do_wordwrap, _check_wordwrap),
        batch=_guard(filters.do_batch, _check_count),
        slice=_guard(filters.sync_do_slice, _check_count),
        join=_guard(filters.sync_do_join, _check_join),
    )
    env.filters.update({name: sized_filter(name, env.filters[name]) for name in GROWING_FILTERS})
    env.filters.update(wb_steps=steps, wb_join=join_parts, wb_sized=check_size)
    env.globals.pop("lipsum", None)
    env.globals["range"] = _range
    env.globals["null"] = None
    env.globals.update({name: _lenient(function.fn) for name, function in FUNCTIONS.items()})
    return env


ENV = _make_environment()
"""The shared environment: built once, used by every template."""
