"""Null-tolerant operations on the plain values conditions see (dicts, lists, str, numbers, None).

Reading never fails: a missing key, a bad index or access on a non-container reads as null.
Ordering comparisons between incompatible values are False. Arithmetic with null gives null;
other arithmetic failures raise :class:`EvaluationError` with a short message (the caller adds
which expression failed).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any

from workbench.expressions._errors import EvaluationError

MAX_ITEMS = 10_000
"""Longest string or list that ``*`` may build (a guard against memory bombs)."""
MAX_INT_BITS = 100_000
"""Largest integer (in bits) that ``*`` may build."""

Binary = Callable[[Any, Any], Any]


def truthy(value: Any) -> bool:
    """Whether a condition's value counts as true: Python truthiness (null, 0, "", [] are false)."""
    return bool(value)


def get_key(container: Any, key: str) -> Any:
    """``container.key``: the key of a mapping, else null. Never an attribute of an object."""
    if type(container) is dict:
        return container.get(key)
    if isinstance(container, Mapping):
        return container.get(key)
    return None


def get_item(container: Any, key: Any) -> Any:
    """``container[key]``: a mapping's key or a sequence's int index; anything else is null."""
    if isinstance(container, Mapping):
        try:
            return container.get(key)
        except TypeError:  # unhashable key
            return None
    if isinstance(container, (list, tuple, str)) and type(key) is int:
        try:
            return container[key]
        except IndexError:
            return None
    return None


def get_slice(container: Any, start: Any, stop: Any, step: Any) -> Any:
    """``container[start:stop:step]`` on a list, tuple or str; bad bounds or containers are null."""
    if not isinstance(container, (list, tuple, str)):
        return None
    bounds = (start, stop, step)
    if not all(b is None or type(b) is int for b in bounds) or step == 0:
        return None
    return container[start:stop:step]


def _ordered(op: Binary) -> Binary:
    def compare(left: Any, right: Any) -> bool:
        try:
            return bool(op(left, right))
        except TypeError:
            return False

    return compare


def contains(container: Any, item: Any) -> bool:
    """``item in container``; False for null or a non-container instead of an error."""
    if container is None:
        return False
    try:
        return item in container
    except TypeError:
        return False


def _not_contains(item: Any, container: Any) -> bool:
    return not contains(container, item)


COMPARISONS: dict[str, Binary] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": _ordered(operator.lt),
    "<=": _ordered(operator.le),
    ">": _ordered(operator.gt),
    ">=": _ordered(operator.ge),
    "in": lambda item, container: contains(container, item),
    "not in": _not_contains,
    "is": lambda left, right: left is right,
    "is not": lambda left, right: left is not right,
}


def type_name(value: Any) -> str:
    """The language's name for a value's type, for messages (null, bool, int, str, dict, ...)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, Mapping):
        return "dict"
    return type(value).__name__


def _arithmetic(symbol: str, op: Binary) -> Binary:
    def apply(left: Any, right: Any) -> Any:
        if left is None or right is None:
            return None
        try:
            return op(left, right)
        except ZeroDivisionError:
            raise EvaluationError(f"division by zero in '{symbol}'") from None
        except (TypeError, ValueError, OverflowError) as exc:
            raise EvaluationError(
                f"cannot apply '{symbol}' to {type_name(left)} and {type_name(right)} ({exc})"
            ) from None

    return apply


def check_multiply(left: Any, right: Any) -> None:
    """Refuse a ``*`` building a string or list over :data:`MAX_ITEMS` items or a huge integer."""
    if type(left) is int and type(right) is int:
        bits = left.bit_length() + right.bit_length()
        if bits > MAX_INT_BITS:
            raise EvaluationError(f"'*' would build a {bits}-bit number")
        return
    for seq, count in ((left, right), (right, left)):
        if (
            isinstance(seq, (str, list, tuple))
            and isinstance(count, int)
            and len(seq) * count > MAX_ITEMS
        ):
            raise EvaluationError(
                f"'*' would build a {type_name(seq)} of {len(seq) * count} items "
                f"(the limit is {MAX_ITEMS})"
            )


def _multiply(left: Any, right: Any) -> Any:
    check_multiply(left, right)
    return left * right


def _modulo(left: Any, right: Any) -> Any:
    # '%' on a string is printf-style formatting, which can build huge strings: numbers only.
    if isinstance(left, (str, bytes)):
        raise TypeError("'%' needs numbers (string formatting is not supported)")
    return left % right


ARITHMETIC: dict[str, Binary] = {
    "+": _arithmetic("+", operator.add),
    "-": _arithmetic("-", operator.sub),
    "*": _arithmetic("*", _multiply),
    "/": _arithmetic("/", operator.truediv),
    "//": _arithmetic("//", operator.floordiv),
    "%": _arithmetic("%", _modulo),
}


def negate(value: Any) -> Any:
    """Unary minus: null stays null, a non-number is an error."""
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return -value
    raise EvaluationError(f"cannot negate {type_name(value)}")
