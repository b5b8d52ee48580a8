"""The sandbox payload list: each payload, as a condition and as a template in a real bot, is
refused at load (a ``BotError`` naming the file) or answered (a turn error, or text that shows
nothing of Python's insides); none is ever executed.

Dunders, format-string tricks, imports, lambdas, huge powers, string and list multiplication,
recursion, attribute chains on user input; a marker file shows whether anything ran.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fuzz_kit import cases, rng

import workbench as wb
from tests.conftest import write_bot
from workbench.expressions import EvaluationError, ExpressionError, parse_condition

MARKER = "/tmp/workbench-fuzz-sandbox-ran"
RUN = f"__import__('os').system('touch {MARKER}')"
PAYLOADS = [
    # dunders and attribute chains
    "''.__class__.__mro__[1].__subclasses__()",
    "text.__class__.__base__.__subclasses__()",
    "state.__class__",
    "state['__class__']",
    "text['__class__']",
    "text.__len__()",
    "entities.__init__.__globals__",
    "user.items.__self__",
    "cycler.__init__.__globals__.os.popen('id').read()",
    "joiner.__init__.__globals__",
    "namespace.__init__.__globals__",
    "range.__self__",
    "self.__init__.__globals__",
    "config.__class__.__init__.__globals__['os']",
    "request.application.__globals__",
    "lipsum.__globals__",
    "text.upper.__self__.__class__",
    "state.get.__func__",
    "(text|attr('__class__'))",
    "text|attr('\\x5f\\x5fclass\\x5f\\x5f')",
    "state|attr('items')|list",
    "(state.items())[0].__class__",
    # format-string tricks
    "'{0.__class__}'.format(text)",
    "'{0.__class__.__mro__}'.format(state)",
    "'{.__globals__}'.format(cycler.__init__)",
    "'%s' % text.__class__",
    "'{:>99999999}'.format(1)",
    "'%99999999s' % 1",
    "'%*s' % (99999999, 1)",
    "'{0:{1}}'.format(1, 99999999)",
    "text|format(1)",
    "'%c' * 50000",
    # imports, eval, lambdas
    RUN,
    "eval('1')",
    "exec('import os')",
    "import os",
    "lambda: 1",
    "(lambda x: x)(1)",
    "[x for x in range(10)]",
    "open('/etc/passwd').read()",
    "getattr(text, 'upper')()",
    "globals()",
    "locals()",
    "compile('1', '', 'eval')",
    "breakpoint()",
    # huge powers and multiplications
    "10 ** 10 ** 10",
    "2 ** 99999999",
    "9 ** 9 ** 9",
    "10 ** 5000",
    "'x' * 10 ** 9",
    "[0] * 10 ** 9",
    "'ab' * 99999999",
    "[text] * 10 ** 8",
    "(('x' * 9999) * 9999)",
    "range(10 ** 9)|list",
    "range(10 ** 9)|length",
    "text * 10 ** 9",
    "'x'|center(10 ** 9)",
    "'x'|indent(10 ** 9)",
    "'a'.ljust(10 ** 9)",
    "'a'.zfill(10 ** 9)",
    "'x\tx'.expandtabs(10 ** 9)",
    "'aaaa'|replace('a', 'a' * 99999)",
    "range(10000)|batch(10 ** 9)|list",
    "(text ~ text ~ text ~ text) * 10000",
    # recursion and deep nesting
    "(" * 500 + "1" + ")" * 500,
    "[" * 500 + "]" * 500,
    "not " * 500 + "1",
    "-" * 5000 + "1",
    "1 + " * 5000 + "1",
    # user input as code
    "text|int ** text|int",
    "entities.size.__class__",
    "state.size.format(text)",
    "text.format(state)",
    "text % state",
]
TEMPLATES = [
    "{% macro r() %}{{ r() }}{% endmacro %}{{ r() }}",
    "{% macro d(n) %}{{ d(n) }}{{ d(n) }}{% endmacro %}{{ d(1) }}",
    "{% set ns = namespace(s='x') %}{% for i in range(99) %}{% set ns.s = ns.s ~ ns.s %}"
    "{% endfor %}{{ ns.s }}",
    "{% for i in range(10000) %}{% for j in range(10000) %}{{ i }}{% endfor %}{% endfor %}",
    "{% set x = cycler.__init__.__globals__ %}{{ x }}",
    "{% import 'os' as os %}",
    "{% include '/etc/passwd' %}",
    "{% extends '/etc/passwd' %}",
    "{% raw %}{{ 1 }}{% endraw %}{{ self }}",
    "{{ self._TemplateReference__context }}",
    "{% set x = [] %}{% for i in range(10000) %}{% set _ = x.append(i) %}{% endfor %}",
    "{% for k in state recursive %}{{ loop(state) }}{% endfor %}",
]
LEAKS = re.compile(r"<(class|function|built-in|module|bound method|generator)|0x[0-9a-f]{6,}")
FLOW = """\
start: a
nodes:
  a:
    on_enter:
      - say: {{text: {text}}}
      - set: {{v: {value}}}
    on_receive: []
    next:
      - when: {condition}
        to: a
      - to: a
"""


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _mutated(payload: str, rand: random.Random) -> str:
    """A payload with a random twist (inside a call, an addition, a filter)."""
    return rand.choice(
        [f"({payload})|string", f"[{payload}]", f"1 + ({payload})", f"({payload}).x", payload]
    )


def _all_payloads() -> list[str]:
    rand = rng("sandbox")
    extra = [_mutated(rand.choice(PAYLOADS), rand) for _ in range(cases(40))]
    return PAYLOADS + extra


@pytest.fixture(autouse=True)
def no_marker() -> Iterator[None]:
    Path(MARKER).unlink(missing_ok=True)
    yield
    assert not Path(MARKER).exists(), "a payload ran code"


def test_payloads_as_conditions_are_refused_or_harmless() -> None:
    names = {"text": "hi", "state": {"size": "large"}, "entities": {"size": "large"}}
    for payload in _all_payloads():
        try:
            condition = parse_condition(payload)
        except ExpressionError:
            continue
        try:
            value = condition.evaluate(names)
        except EvaluationError:
            continue
        assert not LEAKS.search(repr(value)), (payload, value)


def test_payloads_as_templates_are_refused_at_load_or_a_turn_error(tmp_path: Path) -> None:
    sources = [f"{{{{ {p} }}}}" for p in _all_payloads()] + TEMPLATES
    outcomes = {"refused": 0, "turn_error": 0, "answered": 0}
    for i, source in enumerate(sources):
        flow = FLOW.format(text=_quoted(source), value=_quoted(source), condition='"true"')
        folder = write_bot(tmp_path / f"b{i}", {"flows/main.flow.yml": flow}, f"b{i}")
        try:
            bot = wb.Bot.load(folder, db="memory://")
        except wb.BotError as exc:
            assert all(p.file.endswith("main.flow.yml") for p in exc.problems), source
            outcomes["refused"] += 1
            continue
        conv = bot.conversation()
        replies = conv.say("hi")
        assert replies, source
        if conv.last_error is not None:
            outcomes["turn_error"] += 1
            continue
        outcomes["answered"] += 1
        shown = " ".join(r.text for r in replies) + repr(conv.state)
        assert not LEAKS.search(shown), (source, shown[:300])
    assert outcomes["refused"] + outcomes["turn_error"] > len(sources) // 2, outcomes


def test_payloads_as_conditions_in_a_bot_are_refused_at_load(tmp_path: Path) -> None:
    for i, payload in enumerate(PAYLOADS):
        flow = FLOW.format(text='"hi"', value='"1"', condition=_quoted(payload))
        folder = write_bot(tmp_path / f"c{i}", {"flows/main.flow.yml": flow}, f"c{i}")
        try:
            bot = wb.Bot.load(folder, db="memory://")
        except wb.BotError as exc:
            assert all(p.file.endswith("main.flow.yml") for p in exc.problems), payload
            assert all(p.line for p in exc.problems), payload
            continue
        conv = bot.conversation()
        assert conv.say("hi") and conv.say("\ud800 hi"), payload
