"""Sandboxed templates: rendering, native values, syntax errors, sandbox escapes and bombs."""

from __future__ import annotations

from typing import Any

import pytest

from workbench.expressions import (
    EvaluationError,
    ExpressionError,
    Template,
    compile_template,
    template_names,
)

NAMES: dict[str, Any] = {
    "state": {"size": "large", "items": [1, 2, 3], "nothing": None, "count": 2},
    "user": {},
    "bot": {"name": "Pizzabot"},
    "text": "hello",
    "intent": "order",
    "confidence": 0.9,
    "entities": {},
}


def render(source: str, names: dict[str, Any] | None = None) -> str:
    return compile_template(source).render(NAMES if names is None else names)


def value(source: str, names: dict[str, Any] | None = None) -> Any:
    return compile_template(source).render_value(NAMES if names is None else names)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Hi {{ user.first_name }}!", "Hi !"),
        ("{{ state.a.b.c }}", ""),
        ("{{ missing }}", ""),
        ("{{ missing.deeper['x'] }}", ""),
        ("[{{ state.nothing }}]", "[]"),
        ("{{ null }}", ""),
        ("Size: {{ state.size }}", "Size: large"),
        ("{{ bot.name }} here", "Pizzabot here"),
        ("{{ state.items }}", "[1, 2, 3]"),  # the key, not dict.items
        ("{{ state['size'] | upper }}", "LARGE"),
        ("{% for i in state.items %}{{ i }},{% endfor %}", "1,2,3,"),
        ("{% if confidence > 0.5 %}sure{% else %}unsure{% endif %}", "sure"),
        ("{{ state.count * 3 }}", "6"),
        ("{{ lower('AB') }} {{ len(state.items) }}", "ab 3"),
        ("{{ default(state.missing, 'medium') }}", "medium"),
        ("{{ state.get('size') }}", "large"),
        ("{# a comment #}x", "x"),
        ("line\n{{ text }}\n", "line\nhello"),
        ("{{ '}}' }}", "}}"),
    ],
)
def test_render(source: str, expected: str) -> None:
    assert render(source) == expected


def test_render_with_no_names() -> None:
    assert render("Hi {{ user.first_name }}{{ state.x.y }}!", {}) == "Hi !"


def test_static_templates_skip_jinja() -> None:
    """Text without markup renders without Jinja, as Jinja would: line breaks are ``\\n`` and
    one trailing line break is dropped (Jinja's ``keep_trailing_newline`` is off)."""
    template = compile_template("Just text, no markup { } %} }}\n")
    assert isinstance(template, Template)
    assert template.is_static
    assert template.render({}) == "Just text, no markup { } %} }}"
    assert template.render_value({}) == "Just text, no markup { } %} }}"
    assert compile_template("a\r\nb\rc\n\n").render({}) == "a\nb\nc\n"
    assert not compile_template("{{ 1 }}").is_static
    assert not compile_template("{% if true %}{% endif %}").is_static
    assert not compile_template("{# c #}").is_static


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ 3 }}", 3),
        ("{{ 2.5 }}", 2.5),
        ("  {{ state.count }}  ", 2),
        ("{{ state.items }}", [1, 2, 3]),
        ("{{ {'a': state.size} }}", {"a": "large"}),
        ("{{ true }}", True),
        ("{{ state.nothing }}", None),
        ("{{ entities.size }}", None),
        ("{{ state.a.b.c }}", None),
        ("{{ [state.missing, 1] }}", [None, 1]),
        ("{{ (1, 2) }}", [1, 2]),
        ("{{- 5 -}}", 5),
        ("{{ 'text' }}", "text"),
        ("{{ range(2) }}", "range(0, 2)"),  # not JSON-like: its text
        ("Size: {{ state.size }}", "Size: large"),
        ("{{ 1 }}{{ 2 }}", "12"),
        ("{{ 1 }} and {{ 2 }}", "1 and 2"),
        ("{% if true %}{{ 3 }}{% endif %}", "3"),
        ("{# note #}{{ 3 }}", "3"),
    ],
)
def test_render_value(source: str, expected: Any) -> None:
    result = value(source)
    assert result == expected
    assert type(result) is type(expected)


def test_render_value_returns_copies() -> None:
    names = {"state": {"items": [1, 2]}}
    result = compile_template("{{ state.items }}").render_value(names)
    result.append(3)
    assert names["state"]["items"] == [1, 2]


@pytest.mark.parametrize(
    ("source", "line", "message"),
    [
        ("{{ x", 1, "unexpected end of template"),
        ("first\nsecond {% if %}", 2, "Expected an expression"),
        ("a\nb\n{{ x | nosuchfilter }}", 3, "No filter named 'nosuchfilter'"),
        ("{% if x %}\n{{ x is nosuchtest }}{% endif %}", 2, "No test named 'nosuchtest'"),
        ("{% filter shout %}hi{% endfilter %}", 1, "No filter named 'shout'"),
        ("{{ 1 }}{% endif %}", 1, "unknown tag 'endif'"),
        ("{% for x in y %}\n\n", 1, "looking for the following tags: 'endfor'"),
        ("one\ntwo\nthree {{ 1 +", 3, "unexpected 'end of template'"),
        ("{{ }}", 1, "Expected an expression"),
    ],
)
def test_syntax_errors_have_a_line(source: str, line: int, message: str) -> None:
    with pytest.raises(ExpressionError) as info:
        compile_template(source)
    assert info.value.line == line
    assert message in str(info.value)
    assert f"line {line}" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_too_long_template_is_refused() -> None:
    with pytest.raises(ExpressionError, match="too long"):
        compile_template("x" * 20_001)
    assert compile_template("x" * 20_000).render({}) == "x" * 20_000


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ ''.__class__.__mro__ }}", "'__class__' of 'str' object is unsafe"),
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "unsafe"),
        ("{{ cycler.__init__.__globals__ }}", "'__init__'"),
        ("{{ joiner.__init__.__globals__.os }}", "unsafe"),
        ("{{ namespace.__init__ }}", "unsafe"),
        ("{{ self.__dict__ }}", "unsafe"),
        ("{{ state.__class__ }}", "unsafe"),
        ("{{ state['__class__'] }}", "unsafe"),
        ("{{ text|attr('__class__') }}", "unsafe"),
        ("{{ lower.__globals__ }}", "unsafe"),
        ("{{ state.update({'size': 'hacked'}) }}", "'update' of 'dict' object is unsafe"),
        ("{{ state.items.append(4) }}", "'append' of 'list' object is unsafe"),
        ("{{ state.items.pop() }}", "unsafe"),
        ("{% include '/etc/passwd' %}", "no loader"),
        ("{% import 'os' as os %}", "no loader"),
        ("{{ lipsum(10) }}", "'lipsum' is undefined"),
    ],
)
def test_sandbox_escapes_are_refused(source: str, message: str) -> None:
    names = {"state": {"size": "large", "items": [1, 2, 3]}, "text": "x"}
    template = compile_template(source)
    with pytest.raises(EvaluationError) as info:
        template.render(names)
    assert message in str(info.value)
    assert str(info.value).startswith("template error in '")
    assert names == {"state": {"size": "large", "items": [1, 2, 3]}, "text": "x"}
    with pytest.raises(EvaluationError):
        template.render_value(names)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ 'a' * 100000000 }}", "the limit is 10000"),
        ("{{ [0] * 100000000 }}", "the limit is 10000"),
        ("{{ 2 ** 10000000 }}", "bit number"),
        ("{{ (2 ** 1000) ** 1000 }}", "bit number"),
        ("{{ '%999999999s' % 'a' }}", "'%' formatting"),
        ("{{ '%*s' % (999999999, 'a') }}", "'*' widths"),
        ("{{ '%999999999s'|format('a') }}", "'%' formatting"),
        ("{{ '{:>999999999}'.format(1) }}", "format()"),
        ("{{ '{:{}}'.format(1, 999999999) }}", "nested"),
        ("{{ 'a'.center(999999999) }}", "center()"),
        ("{{ 'a'.ljust(999999999) }}", "ljust()"),
        ("{{ 'a'.zfill(999999999) }}", "zfill()"),
        ("{{ '\t'.expandtabs(999999999) }}", "expandtabs()"),
        ("{{ ('a' * 10000).replace('a', 'b' * 10000) }}", "replace()"),
        ("{{ 'a'|center(999999999) }}", "center"),
        ("{{ 'a'|indent(999999999) }}", "indent"),
        ("{{ ('a' * 10000)|replace('a', 'b' * 10000) }}", "replace()"),
        ("{{ 'a'|wordwrap(1, wrapstring='x' * 10000) }}", "wordwrap"),
        ("{{ [1]|batch(999999999, 0)|list }}", "batch"),
        ("{{ [1]|slice(999999999)|list }}", "slice"),
        ("{{ range(1000000000)|list }}", "range() of 1000000000 items"),
        (
            "{% for i in range(10000) %}{% for j in range(10000) %}xxxxxxxxxx"
            "{% endfor %}{% endfor %}",
            "output is longer than 100000 characters",
        ),
        (
            "{% set ns = namespace(x=3) %}{% for i in range(40) %}"
            "{% set ns.x = ns.x * ns.x %}{% endfor %}{{ ns.x }}",
            "bit number",
        ),
    ],
)
def test_memory_bombs_are_refused(source: str, message: str) -> None:
    with pytest.raises(EvaluationError) as info:
        compile_template(source).render({})
    assert message in str(info.value)


def test_reasonable_sizes_still_work() -> None:
    assert len(render("{{ 'ab' * 5000 }}")) == 10_000
    assert render("{{ '%5s' % 'a' }}") == "    a"
    assert render("{{ '{:>4}'.format(1) }}") == "   1"
    assert render("{{ 'a'|center(5) }}") == "  a  "
    assert render("{{ 2 ** 10 }}") == "1024"
    assert render("{{ 'aaa'|replace('a', 'bb') }}") == "bbbbbb"
    assert render("{{ range(3)|list }}") == "[0, 1, 2]"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ 1 / 0 }}", "ZeroDivisionError: division by zero"),
        ("{{ 1 + 'a' }}", "TypeError"),
        ("{{ int('x') }}", "invalid literal"),
        ("{{ state.missing + 1 }}", "has no attribute 'missing'"),
        ("{{ 'x'|truncate('a') }}", "TypeError"),
        ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "RecursionError"),
    ],
)
def test_runtime_errors_are_evaluation_errors(source: str, message: str) -> None:
    with pytest.raises(EvaluationError) as info:
        compile_template(source).render(NAMES)
    assert message in str(info.value)
    assert info.value.source == source


def test_template_names() -> None:
    source = "Hi {{ user.first_name }}{% for i in range(3) %}{{ i }}{{ state.x }}{% endfor %}"
    assert template_names(source) == {"user", "state"}
    assert template_names("{{ lower(text) }}") == {"text"}
    assert template_names("no markup") == set()
    with pytest.raises(ExpressionError):
        template_names("{{ x")
