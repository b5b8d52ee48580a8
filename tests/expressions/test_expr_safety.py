"""What the condition language refuses, at parse time (ExpressionError) or at run time."""

from __future__ import annotations

import re

import pytest

from workbench.expressions import EvaluationError, ExpressionError, parse_condition


def refused(source: str) -> ExpressionError:
    with pytest.raises(ExpressionError) as info:
        parse_condition(source)
    return info.value


@pytest.mark.parametrize(
    ("source", "message", "column"),
    [
        ("text.__class__", "starting with '_'", 0),
        ("state._private", "starting with '_'", 0),
        ("state.size.__class__.__mro__", "starting with '_'", 0),
        ("state['__class__']", "keys starting with '__' are not allowed", 6),
        ("text['__class__']", "keys starting with '__' are not allowed", 5),
        ('__import__("os")', "'__import__' is not an allowed function", 0),
        ('eval("1")', "'eval' is not an allowed function", 0),
        ('exec("import os")', "'exec' is not an allowed function", 0),
        ('open("/etc/passwd")', "'open' is not an allowed function", 0),
        ("getattr(text, 'upper')", "'getattr' is not an allowed function", 0),
        ("type(text)", "'type' is not an allowed function", 0),
        ("text.lower()", "method calls are not allowed.*write lower", 0),
        ("state.items.pop()", "method calls are not allowed", 0),
        ("lower", "'lower' is a function: call it", 0),
        ("state['x']()", "cannot be called", 0),
        ("lambda: 1", "lambda", 0),
        ("[x for x in range(10**9)]", "comprehensions are not allowed", 0),
        ("{x: 1 for x in text}", "comprehensions are not allowed", 0),
        ("(x for x in text)", "generator expressions are not allowed", 0),
        ("(x := 1)", r"assignment expressions \(:=\)", 1),
        ("x := 1", r"assignment expressions \(:=\)", 0),
        ("f'{text}'", "f-strings are not allowed", 0),
        ("[*state.items]", "unpacking is not allowed", 1),
        ("{**state}", "unpacking is not allowed", 3),
        ("len(*state.items)", "unpacking is not allowed", 4),
        ("lower(text=text)", "no keyword arguments", 0),
        ("len()", r"len\(\) takes 1 argument", 0),
        ("len(text, text)", r"len\(\) takes 1 argument", 0),
        ("round(1, 2, 3)", r"round\(\) takes 1 to 2", 0),
        ("min()", r"min\(\) takes at least 1", 0),
        ("2 ** 3", r"'\*\*' \(power\) is not allowed", 0),
        ("'a' * 10 ** 8", r"'\*\*' \(power\) is not allowed", 6),
        ("1 & 2", "bit operators", 0),
        ("1 | 2", "bit operators", 0),
        ("1 ^ 2", "bit operators", 0),
        ("1 << 2", "bit operators", 0),
        ("~1", "bit operators", 0),
        ("state @ state", "'@' is not allowed", 0),
        ("state.x is 3", "'is' compares only with null", 0),
        ("intent is not 'x'", "'is not' compares only with null", 0),
        ("{1, 2}", "set literals", 0),
        ("b'x'", "bytes literals are not allowed", 0),
        ("1j", "complex literals are not allowed", 0),
        ("...", "ellipsis literals are not allowed", 0),
        ("foo == 1", "unknown name 'foo'; allowed names are bot, confidence, entities", 0),
        ("intent == cancel", "unknown name 'cancel'", 10),
        ("import os", "'import' is not allowed", 0),
        ("from os import path", "'import' is not allowed", 0),
        ("x = 1", "assignment is not allowed in a condition; use ==", 0),
        ("intent = 'x'", "use == to compare", 0),
        ("intent; text", "a condition is a single expression", 8),
        ("intent\ntext", "invalid syntax", 7),
        ("if intent: text", "'If' statements are not allowed in a condition", 0),
        ("def f(): pass", "not allowed in a condition", 0),
        ("del state", "not allowed in a condition", 0),
        ("intent ==", "incomplete condition", 9),
        ("(intent", "never closed", 0),
        ("intent === 'x'", "invalid syntax", 9),
        ("", "condition is empty", 0),
        ("   ", "condition is empty", 0),
    ],
)
def test_refused_at_parse_time(source: str, message: str, column: int) -> None:
    error = refused(source)
    assert error.column == column
    assert error.source == source
    assert isinstance(error, ValueError)
    assert re.search(message, str(error)), str(error)


def test_columns_count_characters_from_the_original_source() -> None:
    assert refused("  foo").column == 2
    assert refused("'é' == foo").column == 7
    assert refused("intent == 'x' and\n  foo").column == 20


def test_very_long_input_is_refused() -> None:
    error = refused("a" * 10_000)
    assert "too long" in str(error)
    assert "10000" in str(error)
    assert refused("intent == '" + "x" * 2_000 + "'").column is None


@pytest.mark.parametrize(
    "source",
    [
        "(" * 1000 + "1" + ")" * 1000,
        "not " * 1000 + "true",
        "-" * 1000 + "1",
        "[" * 1000 + "]" * 1000,
    ],
)
def test_very_deep_input_is_refused(source: str) -> None:
    refused(source)  # over the length limit as well


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("(" * 300 + "1" + ")" * 300, "too many nested parentheses"),
        ("[" * 300 + "]" * 300, "too many nested parentheses"),
        ("not " * 400 + "true", "nested too deeply"),
        ("-" * 500 + "1", "nested too deeply"),
        ("1" + " + 1" * 40, "nested too deeply"),
        ("state" + ".a" * 40, "nested too deeply"),
        ("state" + "[0]" * 40, "nested too deeply"),
        ("len(" * 40 + "text" + ")" * 40, "nested too deeply"),
    ],
)
def test_deep_nesting_within_the_length_limit(source: str, message: str) -> None:
    assert len(source) <= 2_000
    assert message in str(refused(source))


def test_moderate_nesting_is_fine() -> None:
    assert parse_condition("not " * 30 + "true").evaluate({}) is True
    assert parse_condition("1" + " + 1" * 25).evaluate({}) == 26


@pytest.mark.parametrize(
    "source",
    [
        "'a' * 100000000",
        "100000000 * 'a'",
        "[0] * 100000000",
        "'ab' * 5001",
        "state.text * 3",
    ],
)
def test_memory_bombs_fail_at_evaluation(source: str) -> None:
    condition = parse_condition(source)  # parses: the size is only known when running
    with pytest.raises(EvaluationError, match="the limit is 10000"):
        condition.evaluate({"state": {"text": "x" * 4000}})


def test_repetition_up_to_the_limit_is_allowed() -> None:
    assert len(parse_condition("'ab' * 5000").evaluate({})) == 10_000
    assert parse_condition("'ab' * -1").evaluate({}) == ""


def test_huge_integers_fail_at_evaluation() -> None:
    big = 10**20_000
    with pytest.raises(EvaluationError, match="bit number"):
        parse_condition("state.n * state.n * state.n").evaluate({"state": {"n": big}})
    with pytest.raises(EvaluationError, match="int"):
        parse_condition("int(state.s)").evaluate({"state": {"s": "9" * 5000}})


def test_evaluation_error_names_the_expression() -> None:
    condition = parse_condition("confidence / state.zero > 1")
    with pytest.raises(EvaluationError) as info:
        condition.holds({"confidence": 1, "state": {"zero": 0}})
    assert str(info.value) == (
        "cannot evaluate condition 'confidence / state.zero > 1': division by zero in '/'"
    )


def test_dict_keys_are_read_not_attributes() -> None:
    names = {"state": {"_class": "kept", "items": "mine"}}
    assert parse_condition("state['_class']").evaluate(names) == "kept"
    assert parse_condition("state.items").evaluate(names) == "mine"


def test_objects_are_never_inspected() -> None:
    class Secret:
        size = "leak"

        def __getitem__(self, key: object) -> str:
            return "leak"

    names = {"event": Secret()}
    assert parse_condition("event.size").evaluate(names) is None
    assert parse_condition("event['size']").evaluate(names) is None
    assert parse_condition("event[0]").evaluate(names) is None
