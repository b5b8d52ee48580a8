"""The whitelist of functions conditions (and templates) may call.

Every function is null-tolerant where that makes sense: ``lower(null)`` is null, ``len(null)`` is
0, ``str(null)`` is "". Wrong types and bad conversions raise ``TypeError``/``ValueError``; the
caller turns that into an :class:`EvaluationError` naming the function.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from workbench.expressions._values import contains, type_name


@dataclass(frozen=True)
class Function:
    """One callable of the language and how many positional arguments it takes."""

    name: str
    fn: Callable[..., Any]
    min_args: int
    max_args: int | None  # None = any number


def _length(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, (str, list, tuple, Mapping)):
        return len(value)
    raise TypeError(f"len() needs a string, list or dict, got {type_name(value)}")


def _text_method(name: str) -> Callable[[Any], Any]:
    method = getattr(str, name)

    def apply(value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, str):
            return method(value)
        raise TypeError(f"{name}() needs a string, got {type_name(value)}")

    return apply


def _number_arg(name: str, value: Any) -> None:
    if not isinstance(value, (int, float)):
        raise TypeError(f"{name}() needs a number, got {type_name(value)}")


def _to_int(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        return builtins.int(value)
    _number_arg("int", value)
    return builtins.int(value)


def _to_float(value: Any) -> Any:
    if value is None:
        return None
    if not isinstance(value, str):
        _number_arg("float", value)
    return builtins.float(value)


def _to_str(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return builtins.str(value)


def _round(value: Any, ndigits: Any = None) -> Any:
    if value is None:
        return None
    _number_arg("round", value)
    if ndigits is not None and type(ndigits) is not builtins.int:
        raise TypeError(f"round() needs an int number of digits, got {type_name(ndigits)}")
    return builtins.round(value, ndigits)


def _abs(value: Any) -> Any:
    if value is None:
        return None
    _number_arg("abs", value)
    return builtins.abs(value)


def _extreme(name: str, pick: Callable[..., Any]) -> Callable[..., Any]:
    """``min``/``max`` of the arguments, or of one list argument; nulls are ignored."""

    def apply(*args: Any) -> Any:
        items = args[0] if len(args) == 1 and isinstance(args[0], (list, tuple)) else args
        present = [item for item in items if item is not None]
        if not present:
            return None
        try:
            return pick(present)
        except TypeError:
            kinds = sorted({type_name(item) for item in present})
            raise TypeError(f"{name}() cannot compare {' and '.join(kinds)}") from None

    return apply


def _affix_test(method: Callable[[str, Any], bool]) -> Callable[[Any, Any], bool]:
    def apply(value: Any, affix: Any) -> bool:
        if isinstance(affix, list):
            affix = tuple(affix)
        if not isinstance(value, str):
            return False
        if isinstance(affix, tuple) and all(isinstance(a, str) for a in affix):
            return method(value, affix)
        return isinstance(affix, str) and method(value, affix)

    return apply


def _default(value: Any, fallback: Any) -> Any:
    return fallback if value is None else value


FUNCTIONS: dict[str, Function] = {
    f.name: f
    for f in (
        Function("len", _length, 1, 1),
        Function("lower", _text_method("lower"), 1, 1),
        Function("upper", _text_method("upper"), 1, 1),
        Function("strip", _text_method("strip"), 1, 1),
        Function("int", _to_int, 1, 1),
        Function("float", _to_float, 1, 1),
        Function("str", _to_str, 1, 1),
        Function("round", _round, 1, 2),
        Function("abs", _abs, 1, 1),
        Function("min", _extreme("min", builtins.min), 1, None),
        Function("max", _extreme("max", builtins.max), 1, None),
        Function("contains", contains, 2, 2),
        Function("startswith", _affix_test(str.startswith), 2, 2),
        Function("endswith", _affix_test(str.endswith), 2, 2),
        Function("default", _default, 2, 2),
    )
}
"""The language's functions by name. Nothing else is callable."""
