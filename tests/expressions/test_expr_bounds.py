"""What one render may make is bounded: values that double at each step, self-doubling macros,
loops inside loops stop at once with an :class:`EvaluationError` (a turn error), never after
gigabytes (issue 23). Functions and methods never print their address."""

from __future__ import annotations

import pytest

from workbench.expressions import EvaluationError, ExpressionError, compile_template
from workbench.expressions import parse_condition as condition

GROW = "{% set ns = namespace(v=START) %}{% for i in range(60) %}{% set ns.v = STEP %}{% endfor %}"
DOUBLING = {
    "concat": ("'x'", "ns.v ~ ns.v"),
    "plus": ("'x'", "ns.v + ns.v"),
    "list-plus": ("[1]", "ns.v + ns.v"),
    "nested-lists": ("[1]", "[ns.v, ns.v]"),
    "nested-dicts": ("{}", "{'a': ns.v, 'b': ns.v}"),
    "join": ("'x'", "[ns.v, ns.v]|join"),
    "percent": ("'x'", "'%s%s' % (ns.v, ns.v)"),
    "format-method": ("'x'", "'{}{}'.format(ns.v, ns.v)"),
    "format-filter": ("'x'", "'%s%s'|format(ns.v, ns.v)"),
    "string-filter": ("[1]", "[ns.v|string, ns.v|string]"),
}
RUNAWAY = {
    "macro-doubling": "{% macro d(n) %}{% if n %}{{ d(n-1) }}{{ d(n-1) }}{% else %}x{% endif %}"
    "{% endmacro %}{{ d(60) }}",
    "macro-silent": "{% macro d(n) %}{% if n %}{{ d(n-1) }}{{ d(n-1) }}{% endif %}{% endmacro %}"
    "{{ d(60) }}",
    "loops-in-loops": "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}"
    "{% endfor %}",
    "loops-over-text": "{% for a in text %}{% for b in text %}{% endfor %}{% endfor %}",
    "recursion": "{% macro r() %}{{ r() }}{% endmacro %}{{ r() }}",
}


@pytest.mark.parametrize("start, step", DOUBLING.values(), ids=DOUBLING.keys())
def test_a_value_that_doubles_at_each_step_stops(start: str, step: str) -> None:
    source = GROW.replace("START", start).replace("STEP", step) + "{{ ns.v|length }}"
    with pytest.raises(EvaluationError, match="larger than 100000"):
        compile_template(source).render({})


@pytest.mark.parametrize("source", RUNAWAY.values(), ids=RUNAWAY.keys())
def test_runaway_loops_and_macros_stop(source: str) -> None:
    with pytest.raises(EvaluationError):
        compile_template(source).render({"text": "x" * 5000})


def test_ordinary_loops_and_values_still_work() -> None:
    source = (
        "{% set ns = namespace(s='') %}{% for i in range(1000) %}{% set ns.s = ns.s ~ 'ab' %}"
        "{% endfor %}{{ ns.s|length }} {{ [1, 2] + [3] }} {% for k, v in {'a': 1}.items() %}"
        "{{ k }}={{ v }}{% endfor %} {{ 'a' ~ 1 ~ none }}"
    )
    assert compile_template(source).render({}) == "2000 [1, 2, 3] a=1 a1None"  # as Jinja joins
    steps = "{% for i in range(300) %}{% for j in range(300) %}{% endfor %}{% endfor %}ok"
    assert compile_template(steps).render({}) == "ok"  # 90,300 steps: under the budget


def test_each_render_has_its_own_budget() -> None:
    loops = "{% for i in range(6) %}{% for j in range(10000) %}{% endfor %}{% endfor %}ok"
    template = compile_template(loops)  # 60,006 steps a render
    assert [template.render({}) for _ in range(3)] == ["ok"] * 3


@pytest.mark.parametrize(
    "source", ["{{ text.translate }}", "{{ 'x'.upper }}", "{{ range }}", "{{ state.keys }}"]
)
def test_a_function_prints_nothing_and_stores_null(source: str) -> None:
    names = {"text": "hi", "state": {}}
    template = compile_template(source)
    assert template.render(names) == ""
    assert template.render_value(names) is None
    assert " at 0x" not in compile_template(f"a {source} b").render(names)


@pytest.mark.parametrize("source", ["state['__class__']", "text['__class__']", "state['__x']"])
def test_dunder_keys_are_refused_in_conditions(source: str) -> None:
    with pytest.raises(ExpressionError, match="keys starting with '__' are not allowed"):
        condition(source)


def test_other_keys_still_read() -> None:
    assert condition("state['_x'] == 1").holds({"state": {"_x": 1}})
