"""Property tests (Hypothesis) of the condition compiler and the YAML loader.

Derandomized (the same examples on every run) and bounded for ``make test``; more examples with
``WORKBENCH_FUZZ_CASES``.
"""

from __future__ import annotations

from typing import Any

import yaml
from fuzz_kit import cases
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.config import LineDict, LineList, parse_yaml
from workbench.expressions import NAMES, EvaluationError, ExpressionError, parse_condition
from workbench.schema import BotError

SETTINGS = settings(
    max_examples=cases(200),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
names_values = st.fixed_dictionaries({name: json_values for name in NAMES})

# --- conditions ----------------------------------------------------------------------------

atoms = st.sampled_from(
    [*NAMES, "state.size", "state['a']", "user.name", "entities.size", "text[0]", "state.n[1:]"]
) | st.sampled_from(["1", "0", "-2.5", "'x'", "''", "null", "true", "false", "[1, 'a']", "{}"])
FUNCTIONS = ["len", "lower", "upper", "int", "float", "str", "contains", "startswith"]


def _combine(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    binary = st.sampled_from(
        ["+", "-", "*", "/", "//", "%", "==", "!=", "<", ">=", "in", "not in", "and", "or"]
    )
    return (
        st.tuples(inner, binary, inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})")
        | inner.map(lambda x: f"not {x}")
        | inner.map(lambda x: f"-({x})")
        | st.tuples(st.sampled_from(FUNCTIONS), inner).map(lambda t: f"{t[0]}({t[1]})")
        | st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})")
        | inner.map(lambda x: f"({x}).key")
        | st.tuples(inner, inner).map(lambda t: f"({t[0]})[{t[1]}]")
    )


expressions = st.recursive(atoms, _combine, max_leaves=8)


@SETTINGS
@given(st.text(max_size=200))
def test_any_text_is_a_condition_or_an_expression_error(source: str) -> None:
    try:
        parse_condition(source)
    except ExpressionError as exc:
        assert exc.message


@SETTINGS
@given(expressions, names_values)
def test_a_condition_evaluates_or_raises_evaluation_error(source: str, names: Any) -> None:
    try:
        condition = parse_condition(source)
    except ExpressionError:
        return  # e.g. a function given the wrong number of arguments
    try:
        value = condition.evaluate(names)
    except EvaluationError as exc:
        assert source[:20] in exc.message or "condition" in exc.message
        return
    assert condition.holds(names) is bool(value)
    assert condition.variables <= set(NAMES)


@SETTINGS
@given(expressions)
def test_missing_names_read_as_null_never_as_an_error_of_python(source: str) -> None:
    try:
        condition = parse_condition(source)
    except ExpressionError:
        return
    try:
        condition.evaluate({})
    except EvaluationError:
        pass


# --- the YAML loader -----------------------------------------------------------------------


@SETTINGS
@given(st.text(max_size=300))
def test_any_text_loads_or_names_a_line(text: str) -> None:
    try:
        parse_yaml(text, "f.yml")
    except BotError as exc:
        lines = _line_count(text) + 1
        assert all(p.file == "f.yml" and 1 <= (p.line or 1) <= lines for p in exc.problems)


documents = st.dictionaries(st.text(min_size=1, max_size=10), json_values, max_size=6)


@SETTINGS
@given(documents)
def test_what_pyyaml_writes_loads_as_pyyaml_reads_it(data: dict[str, Any]) -> None:
    """The same values as PyYAML's own SafeLoader (which reads back what its emitter wrote,
    except a few line-break characters such as U+0085 written unquoted), with lines."""
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    loaded = parse_yaml(text, "f.yml")
    assert loaded == yaml.safe_load(text)
    _check_lines(loaded, _line_count(text))


def _line_count(text: str) -> int:
    """At most how many lines YAML sees in ``text`` (it breaks lines at these characters too)."""
    return sum(text.count(brk) for brk in ("\n", "\r", "\x85", "\u2028", "\u2029")) + 1


def _check_lines(value: Any, last: int) -> None:
    if isinstance(value, LineDict):
        assert all(1 <= line <= last for line in value.lines.values())
        for item in value.values():
            _check_lines(item, last)
    elif isinstance(value, LineList):
        assert all(1 <= line <= last for line in value.lines)
        for item in value:
            _check_lines(item, last)
