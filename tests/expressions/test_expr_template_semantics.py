"""Every template means what Jinja's sandbox says: a lone ``{{ expression }}`` gives the value
Jinja's ``compile_expression`` gives (native), text gives what Jinja renders, and each fails
exactly when Jinja fails."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import jinja2
import pytest

from workbench.expressions import EvaluationError, ExpressionError, compile_template
from workbench.expressions._sandbox import ENV
from workbench.expressions._templates import lone_expression

NAMES: list[dict[str, Any]] = [
    {},
    {
        "state": {"n": 2, "size": "large", "items": [1, 2], "none": None, "price": 9.5},
        "user": {"orders": 3, "name": "Ann", "vip": True},
        "entities": {"size": "small", "toppings": ["ham", "olives"]},
    },
    {
        "state": {"n": "2", "size": 3, "items": "ab", "none": 0, "price": None},
        "user": {"orders": None, "name": ["A"], "vip": "no"},
        "entities": {"size": None, "toppings": "ham"},
    },
    {"state": None, "user": {}, "entities": {"toppings": []}, "text": "hi", "confidence": 0.5},
]
"""Names of every shape: keys set, unset, null, of other types."""


# --- explicit cases ------------------------------------------------------------------------


def value(source: str, names: dict[str, Any] | None = None) -> Any:
    return compile_template(source).render_value(names or {})


def test_arithmetic_with_an_unset_value_is_an_error() -> None:
    with pytest.raises(EvaluationError, match=r"template error in '\{\{ state.n \+ 1 \}\}'"):
        value("{{ state.n + 1 }}", {"state": {}})
    with pytest.raises(EvaluationError):
        compile_template("Next: {{ state.n + 1 }}").render({"state": {}})
    assert value("{{ state.n + 1 }}", {"state": {"n": 2}}) == 3


def test_ordering_mixed_types_is_an_error() -> None:
    with pytest.raises(EvaluationError, match="TypeError"):
        value("{{ 'a' < 1 }}")
    with pytest.raises(EvaluationError, match="TypeError"):
        compile_template("{% if 'a' < 1 %}x{% endif %}").render({})


def test_or_gives_a_default_to_an_unset_value() -> None:
    assert value("{{ (user.orders or 0) + 1 }}", {"user": {}}) == 1
    assert value("{{ (user.orders or 0) + 1 }}", {}) == 1
    assert value("{{ (user.orders or 0) + 1 }}", {"user": {"orders": 4}}) == 5


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ [1, 2] }}", [1, 2]),
        ("{{ 3 }}", 3),
        ("{{ 2.5 }}", 2.5),
        ("{{ true }}", True),
        ("{{ 'x' }}", "x"),
        ("{{ {'a': [1, none]} }}", {"a": [1, None]}),
        ("{{ none }}", None),
        ("{{ null }}", None),
        ("{{ state.unset }}", None),
        ("{{ state.unset.deeper }}", None),
        ("{{ [state.unset] }}", [None]),
        ("{{ a, b }}", [None, None]),  # a tuple, as {{ a, b }} prints
        ("{{- 3 -}}", 3),
        ("{{+ 3 }}", 3),
        ("\n  {{ 3 }}\n", 3),
        ("{{ '}}' }}", "}}"),
        ("{{ range(2) }}", "range(0, 2)"),  # not JSON-like: its text
        ("{{ 3 }}{{ 4 }}", "34"),
        ("{{ 3 }}{# c #}", "3"),
        ("{% raw %}{{ 3 }}{% endraw %}", "{{ 3 }}"),
        ("x {{ 3 }}", "x 3"),
    ],
)
def test_native_values(source: str, expected: Any) -> None:
    result = value(source, {"state": {}})
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    ("source", "inner"),
    [
        ("{{ x }}", " x "),
        ("  {{x}}\n", "x"),
        ("{{- x -}}", " x "),
        ("{{ x | join(', ') }}", " x | join(', ') "),
        ("{{ '}}' }}", " '}}' "),
        ("{{ a\n + b }}", " a\n + b "),
        ("{{ x }}{{ y }}", None),
        ("{{ x }} and", None),
        ("{{ x }}{# c #}", None),
        ("{% if x %}{{ x }}{% endif %}", None),
        ("{% raw %}{{ x }}{% endraw %}", None),
    ],
)
def test_lone_expression_is_read_by_jinjas_lexer(source: str, inner: str | None) -> None:
    assert lone_expression(source) == inner


def test_unset_values_render_as_the_empty_string() -> None:
    names = {"state": {"none": None}, "user": {}}
    source = "[{{ state.unset }}|{{ state.none }}|{{ user.name.first }}|{{ entities.x }}|{{ q }}]"
    assert compile_template(source).render(names) == "[||||]"
    assert compile_template(source).render_value(names) == "[||||]"


def test_a_large_value_is_refused() -> None:
    with pytest.raises(EvaluationError, match="larger than 100000"):
        value("{{ " + " ~ ".join(["('y' * 10000)"] * 11) + " }}")
    with pytest.raises(EvaluationError, match="larger than 100000"):
        value("{{ ['y' * 10000] * 11 }}")
    assert len(value("{{ " + " ~ ".join(["('y' * 10000)"] * 9) + " }}")) == 90_000


# --- randomised: a few thousand templates against Jinja itself ------------------------------

_LOOKUPS = ["state.n", "state.size", "state.items", "state.none", "state.price", "state.unset"]
_LOOKUPS += ["user.orders", "user.name", "user.vip", "user.unset", "entities.size"]
_LOOKUPS += ["entities.toppings", "entities.unset", "state.items[0]", "state['size']", "text"]
_LOOKUPS += ["confidence", "missing", "missing.deeper", "state.unset.deeper"]
_LITERALS = ["0", "1", "2", "-1", "2.5", "'a'", '"b"', "''", "none", "true", "false", "[]"]
_LITERALS += ["[1, 2]", "{'k': 1}", "(1, 2)"]
_BINARY = ["+", "-", "*", "/", "//", "%", "~", "==", "!=", "<", "<=", ">", ">=", "in", "not in"]
_BINARY += ["and", "or", "and", "or"]
_FILTERS = ["default(0)", "d('x')", "upper", "lower", "length", "int", "float", "string"]
_FILTERS += ["join(',')", "first", "last", "list", "round", "abs", "trim", "sort", "sum"]
_FILTERS += ["default(none)", "title", "reverse | list", "unique | list", "count"]
_CALLS = ["len({})", "lower({})", "default({}, 1)", "int({})", "str({})", "abs({})"]
_CALLS += ["min({}, 3)", "contains({}, 'a')"]


def _expression(rng: random.Random, depth: int = 0) -> str:
    roll = rng.random()
    if depth > 2 or roll < 0.25:
        return rng.choice(_LOOKUPS + _LITERALS)
    if roll < 0.55:
        operator = rng.choice(_BINARY)
        return f"{_expression(rng, depth + 1)} {operator} {_expression(rng, depth + 1)}"
    if roll < 0.7:
        return f"{_expression(rng, depth + 1)} | {rng.choice(_FILTERS)}"
    if roll < 0.78:
        return f"({_expression(rng, depth + 1)})"
    if roll < 0.84:
        return f"{rng.choice(['not ', '-'])}{_expression(rng, depth + 1)}"
    if roll < 0.92:
        return rng.choice(_CALLS).format(_expression(rng, depth + 1))
    parts = [_expression(rng, depth + 1) for _ in range(3)]
    return f"{parts[0]} if {parts[1]} else {parts[2]}"


def _reference(value: Any) -> Any:
    """Jinja's value as ``set`` stores it: undefined is None, tuples are lists, others text."""
    if isinstance(value, jinja2.Undefined):
        return None
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_reference(item) for item in value]
    if isinstance(value, dict):
        return {key: _reference(item) for key, item in value.items()}
    return str(value)


def _jinja(run: Callable[..., Any], names: dict[str, Any]) -> tuple[str, Any]:
    """What Jinja gives: ("value", the value) or ("error", the exception)."""
    try:
        return "value", run(**names)
    except Exception as exc:
        return "error", exc


def _check(source: str, ours: Callable[[Any], Any], names: Any, jinja: tuple[str, Any]) -> None:
    """``ours(names)`` gives Jinja's value, or an EvaluationError with Jinja's reason."""
    kind, result = jinja
    if kind == "error":
        with pytest.raises(EvaluationError) as info:
            ours(names)
        reason = result.message if isinstance(result, jinja2.TemplateError) else str(result)
        assert str(reason) in str(info.value), source
    else:
        got = ours(names)
        assert repr(got) == repr(result), (source, got, result)


def test_lone_expressions_give_jinjas_value_or_fail_as_jinja_does() -> None:
    rng = random.Random(20261128)
    checked = {"value": 0, "error": 0, "compile": 0}
    for _ in range(1_000):
        inner = _expression(rng)
        source = rng.choice(["{{ %s }}", "\n{{ %s}}", " {{- %s -}}\n"]) % inner
        try:
            expression = ENV.compile_expression(inner)
        except jinja2.TemplateSyntaxError:
            with pytest.raises(ExpressionError):
                compile_template(source)
            checked["compile"] += 1
            continue
        template = compile_template(source)
        for names in NAMES:
            jinja = _jinja(expression, names)
            if jinja[0] == "value":
                jinja = ("value", _reference(jinja[1]))
            _check(source, template.render_value, names, jinja)
            checked[jinja[0]] += 1
    assert checked["value"] > 1_500 and checked["error"] > 800, checked


def _text(rng: random.Random) -> str:
    pieces: list[str] = []
    for _ in range(rng.randint(1, 3)):
        roll = rng.random()
        if roll < 0.3:
            pieces.append(rng.choice(["Hi ", "!", " and ", "\n", "{ }", "50%", "}}", "\r\n"]))
        elif roll < 0.7:
            pieces.append("{{ " + _expression(rng) + " }}")
        elif roll < 0.9:
            then, otherwise = "{{ " + _expression(rng) + " }}", rng.choice(["no", ""])
            test = _expression(rng)
            pieces.append(f"{{% if {test} %}}{then}{{% else %}}{otherwise}{{% endif %}}")
        else:
            pieces.append("{% for x in " + _expression(rng) + " %}[{{ x }}]{% endfor %}")
    return "".join(pieces)


def test_text_renders_as_jinja_renders_it_or_fails_as_jinja_does() -> None:
    rng = random.Random(7)
    checked = {"value": 0, "error": 0, "static": 0}
    for _ in range(600):
        source = _text(rng)
        try:
            jinja_template = ENV.from_string(source)
        except jinja2.TemplateSyntaxError:
            with pytest.raises(ExpressionError):
                compile_template(source)
            continue
        template = compile_template(source)
        checked["static"] += template.is_static
        for names in NAMES:
            jinja = _jinja(jinja_template.render, names)
            _check(source, template.render, names, jinja)
            if lone_expression(source) is None:
                _check(source, template.render_value, names, jinja)
            checked[jinja[0]] += 1
    assert checked["value"] > 800 and checked["error"] > 800 and checked["static"] > 50, checked


# --- lookups read without Jinja --------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "{{ text }}",
        "{{ entities.size }}",
        "{{ state.items }}",  # a key named like a dict method: the key
        "{{ state.sub.deep }}",
        "{{ state.sub.list }}",
        "{{ state._hidden }}",
        "{{ state.none }}",
        "{{ state.missing }}",  # Jinja decides (undefined): None
        "{{ state.keys }}",  # no such key: Jinja reads the method (stored as null)
        "{{ state.size.upper }}",  # a str has no keys: Jinja decides
        "{{ range }}",  # a Jinja global, not a name the turn has: Jinja decides
        "{{ none }}",
        "{{  user . name  }}",
    ],
)
def test_a_lookup_is_the_value_jinja_gives(source: str) -> None:
    names = {
        "text": "hi",
        "entities": {"size": "large"},
        "user": {"name": "Ada"},
        "state": {
            "items": [1, {"a": (2, 3)}],
            "sub": {"deep": 1.5, "list": [None, True]},
            "_hidden": "h",
            "none": None,
            "size": "large",
        },
    }
    expected = jinja_value(source, names)
    template = compile_template(source)
    got = template.render_value(names)
    assert got == expected


def jinja_value(source: str, names: dict[str, Any]) -> Any:
    inner = lone_expression(source)
    assert inner is not None
    raw = ENV.compile_expression(f"({inner})")(**names)
    if isinstance(raw, jinja2.Undefined):
        return None
    if isinstance(raw, tuple):
        return [jinja_native(v) for v in raw]
    return jinja_native(raw)


def jinja_native(raw: Any) -> Any:
    if raw is None or isinstance(raw, (bool, int, float, str)):
        return raw
    if isinstance(raw, (list, tuple)):
        return [jinja_native(v) for v in raw]
    if isinstance(raw, dict):
        return {k: jinja_native(v) for k, v in raw.items()}
    if callable(raw):  # a function or method is stored as null: never its address
        return None
    return str(raw)
