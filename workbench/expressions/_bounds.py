"""What one render may make and do: steps (loop iterations and calls) and value sizes.

A template's tree is rewritten before Jinja generates its code (:class:`Bounded`): each ``for``
loop counts its items as steps of the render, and ``~``, ``+`` (but ``n + 1``) and list, tuple
and dict literals check the size of what they make. The sandbox checks calls (a step each, and
their results) and the filters that can make more than they get (:data:`GROWING_FILTERS`).
Sizes count shared parts each time they appear (``[l, l]``), but only up to just past the limit,
so a value whose copies would fill gigabytes is refused in microseconds.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

from jinja2 import nodes, pass_context
from jinja2.runtime import Context
from jinja2.visitor import NodeTransformer

from workbench.expressions._errors import EvaluationError

MAX_STEPS = 100_000
"""Loop iterations and calls one render may take."""
MAX_VALUE = 100_000
"""Largest value a template may make: characters, plus one per list or dict item."""


def step(context: Any) -> None:
    """One loop iteration or call of the render ``context`` belongs to (each render, and each
    macro it calls, runs with one context: the count is the render's)."""
    steps = getattr(context, "wb_steps", 0) + 1
    context.wb_steps = steps
    if steps > MAX_STEPS:
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
    if isinstance(value, str):  # Markup (escape's result) included
        if len(value) <= MAX_VALUE:
            return value
    elif not isinstance(value, (list, tuple, dict)) or value_size(value) <= MAX_VALUE:
        return value
    raise EvaluationError(f"{what} larger than {MAX_VALUE} characters (or items)")


GROWING_FILTERS = [
    "batch",
    "center",
    "escape",
    "e",
    "forceescape",
    "format",
    "indent",
    "join",
    "list",
    "map",
    "pprint",
    "replace",
    "slice",
    "string",
    "sum",
    "tojson",
    "urlencode",
    "urlize",
    "wordwrap",
    "xmlattr",
]
"""Filters whose result may be larger than what they were given: it is checked."""


def sized_filter(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
    """``original`` whose result is checked against :data:`MAX_VALUE` (a ``string`` or
    ``forceescape`` of a value made to grow at each step stops at once)."""
    what = f"'{name}' made a value"

    @functools.wraps(original)
    def sized(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        if type(result) is str and len(result) <= MAX_VALUE:
            return result
        return check_size(result, what)

    return sized


@pass_context
def steps(context: Context, iterable: Any) -> Iterator[Any]:
    """A ``for`` loop's items, each counted as one step of the render."""
    for item in iterable:
        step(context)
        yield item


def join_parts(parts: Any) -> str:
    """``a ~ b``: the parts as text, none of them (nor the whole) larger than :data:`MAX_VALUE`."""
    text = "".join([str(check_size(part, "'~' was given a value")) for part in parts])
    if len(text) > MAX_VALUE:
        raise EvaluationError(f"'~' would make a text larger than {MAX_VALUE} characters")
    return text


class Bounded(NodeTransformer):
    """Rewrites a parsed template so loops count their steps and values made are checked."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = _filter(node.iter, "wb_steps")  # type: ignore[arg-type]
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return _filter(nodes.List(node.nodes, lineno=node.lineno), "wb_join")

    def visit_Add(self, node: nodes.Add) -> nodes.Node:
        self.generic_visit(node)
        if _number(node.left) or _number(node.right):  # n + 1: nothing can grow
            return node
        return _filter(node, "wb_sized")

    def visit_List(self, node: nodes.List | nodes.Tuple | nodes.Dict) -> nodes.Node:
        self.generic_visit(node)
        if getattr(node, "ctx", "load") != "load":  # an assignment's target: a, b = ...
            return node
        return _filter(node, "wb_sized")

    visit_Tuple = visit_List
    visit_Dict = visit_List


def _number(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Const) and type(node.value) in (int, float)


def _filter(node: nodes.Expr, name: str) -> nodes.Filter:
    return nodes.Filter(node, name, [], [], None, None, lineno=node.lineno)
