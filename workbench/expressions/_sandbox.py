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
  gigabytes: one render may take :data:`MAX_STEPS` loop iterations and calls (macros included),
  and no value it makes (``~``, ``+``, ``%``, a filter's or a call's result, a list or dict
  literal, what ``{{ }}`` prints) may be larger than :data:`MAX_VALUE` (characters, and one per
  item, counted as if shared parts were copied: ``[l, l]`` nested 60 times is refused early);
- a function or method printed or stored (``{{ text.upper }}``, parentheses forgotten) is the
  empty string or null, as an unset value: never its ``<built-in method ... at 0x...>``.
"""

from __future__ import annotations

import functools
import re
import string
import threading
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import Any

from jinja2 import ChainableUndefined, Undefined, filters, nodes
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

from workbench.expressions._errors import EvaluationError
from workbench.expressions._functions import FUNCTIONS
from workbench.expressions._values import MAX_ITEMS, check_multiply

MAX_POWER_BITS = 100_000
"""Largest integer (in bits) that ``**`` may build."""
MAX_STEPS = 100_000
"""Loop iterations and calls one render may take."""
MAX_VALUE = 100_000
"""Largest value a template may make: characters, plus one per list or dict item."""

_budget = threading.local()
"""The steps left to the render running in this thread (see :func:`start_render`)."""


def start_render() -> None:
    """Give the render about to run in this thread its :data:`MAX_STEPS`."""
    _budget.steps = MAX_STEPS


def _step() -> None:
    steps = getattr(_budget, "steps", MAX_STEPS) - 1
    _budget.steps = steps
    if steps < 0:
        raise EvaluationError(f"the template ran more than {MAX_STEPS} loop iterations and calls")


def value_size(value: Any, limit: int = MAX_VALUE) -> int:
    """About how large ``value`` is (characters, plus one per item, shared parts counted each
    time they appear), counted only up to just past ``limit``: never slower than that."""
    if isinstance(value, str):
        return len(value)
    if not isinstance(value, (list, tuple, dict)):
        return 1
    size, stack = 0, [value]
    while stack and size <= limit:
        item = stack.pop()
        size += 1
        if isinstance(item, str):
            size += len(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return size


def check_size(value: Any, what: str = "a value") -> Any:
    """``value``, if it is not larger than :data:`MAX_VALUE`; else an :class:`EvaluationError`."""
    if type(value) is str:
        if len(value) <= MAX_VALUE:
            return value
    elif not isinstance(value, (list, tuple, dict)) or value_size(value) <= MAX_VALUE:
        return value
    raise EvaluationError(f"{what} larger than {MAX_VALUE} characters (or items)")


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
    value; anything larger than :data:`MAX_VALUE` is an error before it is turned into text."""
    if value is None or (callable(value) and not isinstance(value, Undefined)):
        return ""
    return check_size(value, "'{{ }}' would print a value")


def _sized_filter(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
    """``original`` whose arguments and result are checked against :data:`MAX_VALUE` (a
    ``join`` or ``string`` of a value made to double at each step stops at once)."""

    @functools.wraps(original)
    def sized(*args: Any, **kwargs: Any) -> Any:
        for arg in args:
            if type(arg) is not str and isinstance(arg, (list, tuple, dict)):
                check_size(arg, f"'{name}' was given a value")
        return check_size(original(*args, **kwargs), f"'{name}' made a value")

    return sized


def _steps(iterable: Any) -> Iterator[Any]:
    """A ``for`` loop's items, each counted as one step of the render."""
    for item in iterable:
        _step()
        yield item


def _join(parts: Any) -> str:
    """``a ~ b``: the parts as text, none of them (nor the whole) larger than :data:`MAX_VALUE`."""
    text = "".join([str(check_size(part, "'~' was given a value")) for part in parts])
    if len(text) > MAX_VALUE:
        raise EvaluationError(f"'~' would make a text larger than {MAX_VALUE} characters")
    return text


class _Bounded(NodeTransformer):
    """Rewrites a parsed template so loops count their steps and values made are checked."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = _filter(node.iter, "wb_steps")  # type: ignore[arg-type]
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return _filter(nodes.List(node.nodes, lineno=node.lineno), "wb_join")

    def visit_List(self, node: nodes.List | nodes.Tuple | nodes.Dict) -> nodes.Node:
        self.generic_visit(node)
        if getattr(node, "ctx", "load") != "load":  # an assignment's target: a, b = ...
            return node
        return _filter(node, "wb_sized")

    visit_Tuple = visit_List
    visit_Dict = visit_List


def _filter(node: nodes.Expr, name: str) -> nodes.Filter:
    return nodes.Filter(node, name, [], [], None, None, lineno=node.lineno)


class Sandbox(ImmutableSandboxedEnvironment):
    """The sandbox with the guards described in the module docstring."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

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
        _step()
        _check_str_method(__obj, args)
        return check_size(super().call(__context, __obj, *args, **kwargs), "a call made a value")

    def _generate(
        self,
        source: nodes.Template,
        name: str | None,
        filename: str | None,
        defer_init: bool = False,
    ) -> str:
        # every template's code is generated from its tree rewritten (see _Bounded)
        bounded = _Bounded().visit(source)
        return super()._generate(bounded, name, filename, defer_init)

    def start_render(self) -> None:
        """Give the render about to run in this thread its :data:`MAX_STEPS`."""
        start_render()

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
    )
    env.filters.update(
        {name: _sized_filter(name, original) for name, original in env.filters.items()}
    )
    env.filters.update(wb_steps=_steps, wb_join=_join, wb_sized=check_size)
    env.globals.pop("lipsum", None)
    env.globals["range"] = _range
    env.globals["null"] = None
    env.globals.update({name: _lenient(function.fn) for name, function in FUNCTIONS.items()})
    return env


ENV = _make_environment()
"""The shared environment: built once, used by every template."""
