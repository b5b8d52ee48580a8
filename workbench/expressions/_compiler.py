"""Compile a whitelisted Python ``ast`` expression into nested closures.

Each accepted node type has a handler that returns a function ``names -> value``; every other
node type is refused with an :class:`ExpressionError` pointing at it. Closures (not a tree walked
by an interpreter loop) keep evaluation to a few plain Python calls per node.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from typing import Any

from workbench.expressions._errors import EvaluationError, ExpressionError
from workbench.expressions._functions import FUNCTIONS, Function
from workbench.expressions._values import (
    ARITHMETIC,
    COMPARISONS,
    get_item,
    get_key,
    get_slice,
    negate,
    type_name,
)

Fn = Callable[[Mapping[str, Any]], Any]

NAMES = ("state", "user", "bot", "event", "text", "intent", "confidence", "entities")
"""The variables a condition can read."""
LITERAL_NAMES: dict[str, Any] = {"true": True, "false": False, "null": None}
MAX_DEPTH = 32
"""How deeply expressions may nest (each operator, call, access or literal is one level)."""

_BINARY = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
}
_COMPARE = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.Is: "is",
    ast.IsNot: "is not",
}
_ORDERED = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_REFUSED = {
    ast.Lambda: "lambda functions are not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "generator expressions are not allowed",
    ast.NamedExpr: "assignment expressions (:=) are not allowed",
    ast.JoinedStr: "f-strings are not allowed; use + and str()",
    ast.FormattedValue: "f-strings are not allowed; use + and str()",
    ast.Starred: "'*' unpacking is not allowed",
    ast.Set: "set literals {...} are not supported; use a list [...]",
    ast.Await: "'await' is not allowed",
    ast.Yield: "'yield' is not allowed",
    ast.YieldFrom: "'yield' is not allowed",
    ast.Pow: "'**' (power) is not allowed",
    ast.MatMult: "'@' is not allowed",
    ast.BitAnd: "bit operators are not allowed; use 'and'",
    ast.BitOr: "bit operators are not allowed; use 'or'",
    ast.BitXor: "bit operators are not allowed",
    ast.LShift: "bit operators are not allowed",
    ast.RShift: "bit operators are not allowed",
    ast.Invert: "bit operators are not allowed; use 'not'",
}


def _const(value: Any) -> Fn:
    return lambda names: value


class Compiler:
    """Turns the body of ``ast.parse(text, mode="eval")`` into one closure.

    ``text`` is what was parsed and ``lead`` how many characters were stripped in front of it,
    so error columns are offsets into the original source. ``variables`` collects the names read.
    """

    def __init__(self, source: str, text: str, lead: int) -> None:
        self.source = source
        self.text = text
        self.lead = lead
        self.variables: set[str] = set()
        self._handlers: dict[type[ast.AST], Callable[[Any, int], Fn]] = {
            ast.Constant: self._constant,
            ast.Name: self._name,
            ast.Attribute: self._attribute,
            ast.Subscript: self._subscript,
            ast.List: self._sequence,
            ast.Tuple: self._sequence,
            ast.Dict: self._dict,
            ast.BoolOp: self._boolop,
            ast.UnaryOp: self._unaryop,
            ast.BinOp: self._binop,
            ast.Compare: self._compare,
            ast.IfExp: self._ifexp,
            ast.Call: self._call,
        }

    # -- errors -------------------------------------------------------------------------------

    def column(self, node: ast.AST) -> int | None:
        """The 0-based character offset of ``node`` in the original source."""
        offset = getattr(node, "col_offset", None)
        if offset is None:
            return None
        # ast offsets count UTF-8 bytes; the text was made single-line before parsing.
        return len(self.text.encode()[:offset].decode(errors="ignore")) + self.lead

    def refuse(self, node: ast.AST, message: str) -> ExpressionError:
        column = self.column(node)
        where = "" if column is None else f" (column {column + 1})"
        return ExpressionError(f"{message}{where}", source=self.source, column=column)

    def segment(self, node: ast.AST) -> str:
        return ast.get_source_segment(self.text, node) or type(node).__name__

    # -- dispatch ---------------------------------------------------------------------------

    def compile(self, node: ast.AST, depth: int = 0) -> Fn:
        if depth > MAX_DEPTH:
            raise self.refuse(node, f"expression is nested too deeply (more than {MAX_DEPTH})")
        handler = self._handlers.get(type(node))
        if handler is None:
            default = f"{type(node).__name__} is not allowed in a condition"
            raise self.refuse(node, _REFUSED.get(type(node), default))
        return handler(node, depth + 1)

    def literal(self, node: ast.AST) -> tuple[bool, Any]:
        """``(True, value)`` for a constant (lists become tuples), else ``(False, None)``."""
        if isinstance(node, ast.Constant):
            return True, node.value
        if isinstance(node, ast.Name) and node.id in LITERAL_NAMES:
            return True, LITERAL_NAMES[node.id]
        if isinstance(node, (ast.List, ast.Tuple)):
            items = [self.literal(item) for item in node.elts]
            if all(known for known, _ in items):
                return True, tuple(value for _, value in items)
        return False, None

    # -- leaves -----------------------------------------------------------------------------

    def _constant(self, node: ast.Constant, depth: int) -> Fn:
        if node.value is None or isinstance(node.value, (bool, int, float, str)):
            return _const(node.value)
        raise self.refuse(node, f"{type(node.value).__name__} literals are not allowed")

    def _name(self, node: ast.Name, depth: int) -> Fn:
        name = node.id
        if name in LITERAL_NAMES:
            return _const(LITERAL_NAMES[name])
        if name in NAMES:
            self.variables.add(name)
            return lambda names: names.get(name)
        if name in FUNCTIONS:
            raise self.refuse(node, f"'{name}' is a function: call it, e.g. {name}(...)")
        allowed = ", ".join(sorted(NAMES))
        raise self.refuse(
            node, f"unknown name '{name}'; allowed names are {allowed} (and true, false, null)"
        )

    # -- access -----------------------------------------------------------------------------

    def _attribute(self, node: ast.Attribute, depth: int) -> Fn:
        key = node.attr
        if key.startswith("_"):
            raise self.refuse(node, f"attribute names starting with '_' are not allowed: '{key}'")
        value = self.compile(node.value, depth)

        def attribute(names: Mapping[str, Any]) -> Any:
            container = value(names)
            if type(container) is dict:
                return container.get(key)
            return get_key(container, key)

        return attribute

    def _subscript(self, node: ast.Subscript, depth: int) -> Fn:
        value = self.compile(node.value, depth)
        if isinstance(node.slice, ast.Slice):
            parts = (node.slice.lower, node.slice.upper, node.slice.step)
            lower, upper, step = (
                _const(None) if part is None else self.compile(part, depth) for part in parts
            )
            return lambda names: get_slice(value(names), lower(names), upper(names), step(names))
        key = node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value[:2] == "__":
            raise self.refuse(key, f"keys starting with '__' are not allowed: {key.value!r}")
        index = self.compile(node.slice, depth)
        return lambda names: get_item(value(names), index(names))

    # -- literals ---------------------------------------------------------------------------

    def _sequence(self, node: ast.List | ast.Tuple, depth: int) -> Fn:
        items = [self.compile(item, depth) for item in node.elts]
        if isinstance(node, ast.Tuple):
            return lambda names: tuple([item(names) for item in items])
        return lambda names: [item(names) for item in items]

    def _dict(self, node: ast.Dict, depth: int) -> Fn:
        pairs: list[tuple[Fn, Fn]] = []
        for key, value in zip(node.keys, node.values, strict=True):
            if key is None:
                raise self.refuse(value, "'**' unpacking is not allowed")
            pairs.append((self.compile(key, depth), self.compile(value, depth)))
        return lambda names: {key(names): value(names) for key, value in pairs}

    # -- operators --------------------------------------------------------------------------

    def _boolop(self, node: ast.BoolOp, depth: int) -> Fn:
        first, *rest = [self.compile(value, depth) for value in node.values]
        if isinstance(node.op, ast.And):
            if len(rest) == 1:
                second = rest[0]
                return lambda names: second(names) if (v := first(names)) else v

            def all_of(names: Mapping[str, Any]) -> Any:
                value = first(names)
                for operand in rest:
                    if not value:
                        return value
                    value = operand(names)
                return value

            return all_of
        if len(rest) == 1:
            second = rest[0]
            return lambda names: v if (v := first(names)) else second(names)

        def any_of(names: Mapping[str, Any]) -> Any:
            value = first(names)
            for operand in rest:
                if value:
                    return value
                value = operand(names)
            return value

        return any_of

    def _unaryop(self, node: ast.UnaryOp, depth: int) -> Fn:
        if type(node.op) in _REFUSED:
            raise self.refuse(node, _REFUSED[type(node.op)])
        operand = self.compile(node.operand, depth)
        if isinstance(node.op, ast.Not):
            return lambda names: not operand(names)
        if isinstance(node.op, ast.USub):
            return lambda names: negate(operand(names))
        return lambda names: negate(negate(operand(names)))  # unary plus: checks it is a number

    def _binop(self, node: ast.BinOp, depth: int) -> Fn:
        symbol = _BINARY.get(type(node.op))
        if symbol is None:
            raise self.refuse(node, _REFUSED.get(type(node.op), "operator not allowed"))
        apply = ARITHMETIC[symbol]
        left = self.compile(node.left, depth)
        right = self.compile(node.right, depth)
        return lambda names: apply(left(names), right(names))

    def _compare(self, node: ast.Compare, depth: int) -> Fn:
        symbols = [_COMPARE[type(op)] for op in node.ops]
        operands = [node.left, *node.comparators]
        for i, symbol in enumerate(symbols):
            if symbol in ("is", "is not") and not self._is_null(operands[i], operands[i + 1]):
                raise self.refuse(node, f"'{symbol}' compares only with null; use == or !=")
        left = self.compile(node.left, depth)
        if len(symbols) == 1:
            return self._compare_one(symbols[0], left, node.comparators[0], depth)
        steps = [
            (COMPARISONS[s], self.compile(c, depth))
            for s, c in zip(symbols, node.comparators, strict=True)
        ]

        def chain(names: Mapping[str, Any]) -> bool:
            value = left(names)
            for compare, operand in steps:
                other = operand(names)
                if not compare(value, other):
                    return False
                value = other
            return True

        return chain

    def _is_null(self, left: ast.expr, right: ast.expr) -> bool:
        return any(self.literal(side) == (True, None) for side in (left, right))

    def _compare_one(self, symbol: str, left: Fn, node: ast.expr, depth: int) -> Fn:
        """One comparison; a constant right-hand side is folded in (the common case)."""
        known, constant = self.literal(node)
        if isinstance(node, (ast.List, ast.Tuple)) and symbol not in ("in", "not in"):
            known = False  # folded sequences are tuples: only membership may use them
        if not known:
            compare, right = COMPARISONS[symbol], self.compile(node, depth)
            return lambda names: compare(left(names), right(names))
        self.compile(node, depth)  # still checks the depth limit
        if symbol == "==":
            return lambda names: left(names) == constant
        if symbol == "!=":
            return lambda names: left(names) != constant
        raw = _ORDERED.get(symbol)
        if raw is None:
            compare = COMPARISONS[symbol]
            return lambda names: compare(left(names), constant)

        def ordered(names: Mapping[str, Any]) -> Any:
            try:
                return raw(left(names), constant)
            except TypeError:
                return False

        return ordered

    def _ifexp(self, node: ast.IfExp, depth: int) -> Fn:
        test = self.compile(node.test, depth)
        body = self.compile(node.body, depth)
        orelse = self.compile(node.orelse, depth)
        return lambda names: body(names) if test(names) else orelse(names)

    # -- calls ------------------------------------------------------------------------------

    def _call(self, node: ast.Call, depth: int) -> Fn:
        function = self._function(node)
        if node.keywords:
            raise self.refuse(node, f"{function.name}() takes no keyword arguments")
        count, low, high = len(node.args), function.min_args, function.max_args
        if count < low or (high is not None and count > high):
            expected = (
                f"at least {low}"
                if high is None
                else str(low)
                if low == high
                else f"{low} to {high}"
            )
            noun = "argument" if (high if high is not None else low) == 1 else "arguments"
            raise self.refuse(node, f"{function.name}() takes {expected} {noun}, {count} given")
        args = [self.compile(arg, depth) for arg in node.args]
        return _caller(function, args)

    def _function(self, node: ast.Call) -> Function:
        func = node.func
        if isinstance(func, ast.Name) and func.id in FUNCTIONS:
            return FUNCTIONS[func.id]
        allowed = ", ".join(FUNCTIONS)
        if isinstance(func, ast.Attribute):
            hint = f"; write {func.attr}(x) instead" if func.attr in FUNCTIONS else ""
            message = f"method calls are not allowed: '{self.segment(node)}'{hint}"
        elif isinstance(func, ast.Name):
            message = f"'{func.id}' is not an allowed function; allowed functions are {allowed}"
        else:
            message = f"'{self.segment(func)}' cannot be called; allowed functions are {allowed}"
        raise self.refuse(node, message)


def _caller(function: Function, args: list[Fn]) -> Fn:
    fn, name = function.fn, function.name

    def call(names: Mapping[str, Any]) -> Any:
        values = [arg(names) for arg in args]
        try:
            return fn(*values)
        except (TypeError, ValueError, OverflowError) as exc:
            shown = ", ".join(type_name(v) for v in values)
            raise EvaluationError(f"{name}({shown}) failed: {exc}") from None

    return call
