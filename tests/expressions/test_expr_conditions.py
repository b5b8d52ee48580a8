"""The condition language: grammar, null semantics and the whitelisted functions."""

from __future__ import annotations

from typing import Any

import pytest

from workbench.expressions import (
    NAMES,
    Condition,
    EvaluationError,
    ExpressionError,
    parse_condition,
    truthy,
)

NAMES_MAP: dict[str, Any] = {
    "state": {"size": "large", "items": [1, 2, 3], "count": 4, "nested": {"a": {"b": "deep"}}},
    "user": {"first_name": "Ann", "age": 30},
    "bot": {},
    "event": {"type": "text"},
    "text": "I want a Large pizza",
    "intent": "order",
    "confidence": 0.8,
    "entities": {"size": "large"},
}


def ev(source: str, names: dict[str, Any] | None = None) -> Any:
    return parse_condition(source).evaluate(NAMES_MAP if names is None else names)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1", 1),
        ("2.5", 2.5),
        ("'single'", "single"),
        ('"double"', "double"),
        ("true", True),
        ("false", False),
        ("null", None),
        ("True", True),
        ("False", False),
        ("None", None),
        ("[1, 'a', null]", [1, "a", None]),
        ("(1, 2)", (1, 2)),
        ("{'a': 1, 'b': [true]}", {"a": 1, "b": [True]}),
        ("[state.count, intent]", [4, "order"]),
        ("{intent: confidence}", {"order": 0.8}),
        ("[]", []),
    ],
)
def test_literals(source: str, expected: Any) -> None:
    assert ev(source) == expected
    assert type(ev(source)) is type(expected)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("state.size", "large"),
        ("state['size']", "large"),
        ('state["size"]', "large"),
        ("state.items", [1, 2, 3]),  # the key, not dict.items
        ("state.items[0]", 1),
        ("state.items[-1]", 3),
        ("state.nested.a.b", "deep"),
        ("state['nested']['a'].b", "deep"),
        ("user.first_name", "Ann"),
        ("entities.size", "large"),
        ("event.type", "text"),
        ("text", "I want a Large pizza"),
        ("state.items[1:]", [2, 3]),
        ("state.items[::-1]", [3, 2, 1]),
        ("text[:6]", "I want"),
        ("text[0]", "I"),
    ],
)
def test_access(source: str, expected: Any) -> None:
    assert ev(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        "state.missing",
        "state['missing']",
        "state.missing.deeper.still",
        "state.items[10]",
        "state.items[-10]",
        "state.items['x']",
        "state.items.size",
        "state.size.upper",  # no attributes of non-dict values
        "text.upper",
        "confidence.real",
        "state.count[0]",
        "user.first_name[true]",
        "state[[1]]",  # unhashable key
        "state.items[1:'x']",
        "state.items[::0]",
        "state.count[1:]",
        "bot.anything",
        "state['_class']",  # a plain (missing) dict key, not an attribute
    ],
)
def test_missing_reads_as_null(source: str) -> None:
    assert ev(source) is None


def test_unset_names_read_as_null() -> None:
    for name in NAMES:
        assert ev(name, {}) is None
    assert ev("state.size", {}) is None
    assert ev("state.a.b[0]", {"state": None}) is None
    assert parse_condition("state.size").holds({}) is False


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("intent == 'order'", True),
        ("intent == 'cancel'", False),
        ("intent != 'cancel'", True),
        ("confidence > 0.5", True),
        ("confidence >= 0.8", True),
        ("confidence < 0.5", False),
        ("confidence <= 0.8", True),
        ("1 < 2 < 3", True),
        ("3 > 2 > 5", False),
        ("1 < state.count <= 4", True),
        ("'large' in ['small', 'large']", True),
        ("intent in ('order', 'buy')", True),
        ("intent not in ['order']", False),
        ("'pizza' in text", True),
        ("'size' in state", True),
        ("2 in state.items", True),
        ("'x' in null", False),
        ("'x' not in null", True),
        ("1 in 'abc'", False),
        ("state.missing is null", True),
        ("state.size is not null", True),
        ("null is state.missing", True),
        ("state.items == [1, 2, 3]", True),
        ("state.items == (1, 2, 3)", False),
        ("intent == state.missing", False),
        ("state.missing == null", True),
        ("state.missing != null", False),
    ],
)
def test_comparisons(source: str, expected: bool) -> None:
    assert ev(source) is expected


@pytest.mark.parametrize(
    "source",
    [
        "null > 3",
        "null < 3",
        "null >= null",
        "state.missing <= 1",
        "'a' < 1",
        "1 > 'a'",
        "[1] < 'a'",
        "{'a': 1} < {'b': 2}",
        "1 < 'a' < 3",
    ],
)
def test_incompatible_ordering_is_false(source: str) -> None:
    assert ev(source) is False


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("state.size and confidence > 0.5", True),
        ("state.missing and confidence > 0.5", None),  # and returns the falsy operand
        ("state.size and intent", "order"),
        ("state.missing or 'fallback'", "fallback"),
        ("intent or 'fallback'", "order"),
        ("0 or '' or null", None),
        ("1 and 2 and 3", 3),
        ("1 and 0 and 3", 0),
        ("not state.size", False),
        ("not state.missing", True),
        ("not not intent", True),
        ("'yes' if confidence > 0.5 else 'no'", "yes"),
        ("'yes' if state.missing else 'no'", "no"),
    ],
)
def test_boolean_logic(source: str, expected: Any) -> None:
    assert ev(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1 + 2", 3),
        ("state.count - 1", 3),
        ("state.count * 2", 8),
        ("7 / 2", 3.5),
        ("7 // 2", 3),
        ("7 % 3", 1),
        ("-state.count", -4),
        ("+state.count", 4),
        ("2 * 3 + 1", 7),
        ("'ab' + 'cd'", "abcd"),
        ("'ab' * 3", "ababab"),
        ("[1] * 3", [1, 1, 1]),
        ("state.items + [4]", [1, 2, 3, 4]),
        ("state.missing + 1", None),
        ("1 - state.missing", None),
        ("state.missing * 3", None),
        ("null / 0", None),
        ("-state.missing", None),
    ],
)
def test_arithmetic(source: str, expected: Any) -> None:
    assert ev(source) == expected


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("1 / 0", "division by zero"),
        ("state.count // 0", "division by zero"),
        ("5 % 0", "division by zero"),
        ("1.5 / 0.0", "division by zero"),
        ("'a' + 1", r"cannot apply '\+' to str and int"),
        ("'%s' % 1", "needs numbers"),
        ("-'a'", "cannot negate str"),
        ("{[1]: 2}", "unhashable"),
    ],
)
def test_arithmetic_errors(source: str, message: str) -> None:
    with pytest.raises(EvaluationError, match=message) as info:
        ev(source)
    assert source in str(info.value)  # the message names the expression
    assert info.value.source == source


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("len(state.items)", 3),
        ("len(text)", 20),
        ("len(state)", 4),
        ("len(null)", 0),
        ("len(state.missing)", 0),
        ("lower(text)", "i want a large pizza"),
        ("upper(intent)", "ORDER"),
        ("strip('  x  ')", "x"),
        ("lower(null)", None),
        ("upper(state.missing)", None),
        ("strip(null)", None),
        ("int('42')", 42),
        ("int(' 7 ')", 7),
        ("int(3.9)", 3),
        ("int(null)", None),
        ("float('2.5')", 2.5),
        ("float(2)", 2.0),
        ("float(null)", None),
        ("str(42)", "42"),
        ("str(null)", ""),
        ("str(true)", "true"),
        ("str(false)", "false"),
        ("round(2.567, 1)", 2.6),
        ("round(2.4)", 2),
        ("round(null)", None),
        ("abs(-3)", 3),
        ("abs(null)", None),
        ("min(3, 1, 2)", 1),
        ("max(3, 1, 2)", 3),
        ("min(state.items)", 1),
        ("max([4, null, 9])", 9),
        ("min(null, 5)", 5),
        ("max([])", None),
        ("contains(state.items, 2)", True),
        ("contains(text, 'pizza')", True),
        ("contains(null, 'x')", False),
        ("contains(state, 'size')", True),
        ("startswith(text, 'I want')", True),
        ("startswith(text, ['no', 'I'])", True),
        ("startswith(null, 'I')", False),
        ("startswith(text, 1)", False),
        ("endswith(text, 'pizza')", True),
        ("endswith(intent, 'x')", False),
        ("default(state.missing, 'medium')", "medium"),
        ("default(state.size, 'medium')", "large"),
        ("default(0, 5)", 0),
        ("lower(default(state.missing, 'X'))", "x"),
    ],
)
def test_functions(source: str, expected: Any) -> None:
    assert ev(source) == expected


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("int('x')", r"int\(str\) failed: invalid literal"),
        ("float('abc')", r"float\(str\) failed"),
        ("int([1])", r"int\(list\) failed: int\(\) needs a number"),
        ("lower(3)", "lower.. needs a string, got int"),
        ("len(3)", "len.. needs a string, list or dict"),
        ("round('a')", "round.. needs a number"),
        ("abs('a')", "abs.. needs a number"),
        ("min(1, 'a')", "cannot compare int and str"),
        ("round(1.5, 'x')", "number of digits"),
    ],
)
def test_function_errors(source: str, message: str) -> None:
    with pytest.raises(EvaluationError, match=message):
        ev(source)


def test_condition_object() -> None:
    condition = parse_condition("state.size and confidence > 0.5")
    assert isinstance(condition, Condition)
    assert condition.source == "state.size and confidence > 0.5"
    assert condition.variables == {"state", "confidence"}
    assert condition.holds(NAMES_MAP) is True
    assert condition.holds({"state": {"size": "s"}, "confidence": 0.1}) is False
    assert condition.holds({}) is False
    with pytest.raises(AttributeError):
        condition.source = "other"  # type: ignore[misc]
    assert parse_condition("intent") == parse_condition("intent")


def test_conditions_do_not_share_mutable_literals() -> None:
    condition = parse_condition("[1, 2]")
    first = condition.evaluate({})
    first.append(3)
    assert condition.evaluate({}) == [1, 2]


def test_whitespace_and_line_breaks() -> None:
    assert ev("   intent == 'order'   ") is True
    assert ev("intent == 'order'\n  and confidence > 0.5\n") is True
    assert ev("state.size and\r\n confidence") == 0.8


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, False), (0, False), ("", False), ([], False), ({}, False), (1, True), ("x", True)],
)
def test_truthy(value: Any, expected: bool) -> None:
    assert truthy(value) is expected


def test_names_do_not_leak_between_calls() -> None:
    condition = parse_condition("state.size == 'large'")
    assert condition.holds({"state": {"size": "large"}})
    assert not condition.holds({"state": {"size": "small"}})


def test_expression_error_is_a_value_error() -> None:
    assert issubclass(ExpressionError, ValueError)
    assert issubclass(EvaluationError, Exception)
