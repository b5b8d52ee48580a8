"""Templates read without Jinja (``scan``): what it accepts Jinja compiles, and the Jinja compile
of those waits for the first render that needs it."""

from __future__ import annotations

import random
import subprocess
import sys
from typing import Any

import pytest

from workbench.expressions import ExpressionError, compile_template
from workbench.expressions._sandbox import ENV
from workbench.expressions._template_scan import JINJA_FILTERS, scan
from workbench.expressions._templates import TEMPLATE_GLOBALS


def test_the_static_names_are_the_environments() -> None:
    assert set(ENV.filters) == JINJA_FILTERS
    assert set(ENV.globals) == TEMPLATE_GLOBALS


@pytest.mark.parametrize(
    "source",
    [
        "Your {{ state.size }} pizza",
        "{{ (user.orders or 0) + 1 }}",
        "{{ state.toppings or [] }}",
        "A {{ state.toppings | join(', ') if state.toppings else 'no toppings' }}: ${{ x }}.",
        "{% if user.orders %} Welcome back.{% elif x > 1 %}b{% else %}c{% endif %}\n",
        "{{ len(state.items) > 2 and not state.done }}",
        "{{ -x ** 2 // 3 % 4 }} {{ a[0]['b'].c(1, 2,) }} {{ (1,) }} {{ [] }}",
        "{{ x | default('a') | upper }}{{ 1.5 }}{{ 'a' 'b' }}",
        "{% if a %}{% if b %}1{% endif %}{% else %}2{% endif %}",
        "{{ a\n  + b }}",
        "{{ user.class }} {% if user.if %}x{% endif %}",
        "{{ " + "(" * 20 + "x" + ")" * 20 + " }}",
        "{% if x %}" * 20 + "a" + "{% endif %}" * 20,
    ],
)
def test_common_templates_are_read_without_jinja(source: str) -> None:
    assert scan(source) is not None
    template = compile_template(source)
    assert template._jinja is not None and template._jinja._template is None  # not compiled yet


@pytest.mark.parametrize(
    "source",
    [
        "{# comment #}{{ x }}",
        "{{- x }}",
        "{{ x -}}",
        "{%- if x %}y{% endif %}",
        "{% for i in x %}{{ i }}{% endfor %}",
        "{% if x %}y",
        "{% endif %}",
        "{% if x %}a{% else %}b{% else %}c{% endif %}",
        "{% if x %}a{% else %}b{% elif y %}c{% endif %}",
        "{% if a if b else c %}x{% endif %}",
        "{{ x is none }}",
        "{{ x[1:2] }}",
        "{{ f(a=1) }}",
        "{{ {'a': 1} }}",
        "{{ 'a\\'b' }}",
        "{{ r'x' }}",
        "{{ 1e5 }}",
        "{{ .5 }}",
        "{{ 1. }}",
        "{{ x ~ y }}",
        "{{ x | nosuchfilter }}",
        "{{ x | upper.y }}",
        "{{ x | upper[0] }}",
        "{{ x | join(',')(1) }}",
        "{{ x | -y }}",
        "{{ lambda: 1 }}",
        "{{ [i for i in x] }}",
        "{{ x # comment }}",
        "{{ café }}",
        "{{ x",
        "{{ }}",
        "{% raw %}{{ x }}{% endraw %}",
        "{% if(x) %}y{% endif %}",
        "{{ a, b }}",
        "{{ x[0,] }}",
        "{{ x >> 1 }}",
        "{{ (a, *b) }}",
        "{{ '''a' x 'b''' }}",
        '{{ """a" == == "b""" }}',
        "{{ 'a''b' }}",
        "{{ " + "(" * 21 + "x" + ")" * 21 + " }}",
        "{{ " + "+".join(["x"] * 102) + " }}",
        "{{ x" + " | e" * 101 + " }}",
        "{% if x %}" * 21 + "a" + "{% endif %}" * 21,
        "{{ ) ( }}",
        "{{ f(*a) }}",
        "{% if a, %}x{% endif %}",
    ],
)
def test_other_templates_are_left_to_jinja(source: str) -> None:
    assert scan(source) is None


def test_broken_templates_still_fail_at_compile() -> None:
    for source in ["{{ x | nosuchfilter }}", "{% if x %}y", "{{ x is nosuchtest }}", "{{ }}"]:
        with pytest.raises(ExpressionError):
            compile_template(source)


@pytest.mark.parametrize(
    "source",
    [
        "{% if x %}" * 99 + "a" + "{% endif %}" * 99,
        "{{ " + "+".join(["x"] * 198) + " }}",
        "{{ " + "(" * 70 + "x" + ")" * 70 + " }}",
    ],
)
def test_templates_too_deep_for_jinja_are_refused_at_compile(source: str) -> None:
    with pytest.raises(ExpressionError, match="too complex"):
        compile_template(source)


def test_lazy_templates_render_with_jinja_when_they_need_it() -> None:
    names: dict[str, Any] = {"state": {"toppings": ["ham", "olives"], "size": "large"}}
    source = "A {{ state.size }} pizza with {{ state.toppings | join(', ') }}"
    template = compile_template(source)
    assert template.render(names) == "A large pizza with ham, olives"
    assert template.render_value(names) == "A large pizza with ham, olives"
    lone = compile_template("{{ state.toppings | join('+') }}")
    assert lone.render_value(names) == "ham+olives"
    fast = compile_template("{{ (state.count or 0) + 1 }}")
    assert fast.render_value(names) == 1
    assert fast._jinja is not None and fast._jinja._expression is None  # no Jinja needed


def test_a_bot_loads_and_talks_without_importing_jinja() -> None:
    """The pizza bot's templates are all read by ``scan``: loading it and ordering up to the
    confirmation (which has a ``join`` filter, so it needs Jinja) import Jinja only there."""
    code = (
        "import sys\n"
        "from workbench import Bot\n"
        "bot = Bot.load('sample_bots/pizza', db='memory://')\n"
        "conversation = bot.conversation('ann')\n"
        "before = [conversation.say(text) for text in ['hi', 'large']]\n"
        "print('jinja2' in sys.modules)\n"
        "conversation.say('ham and olives')\n"
        "conversation.say('done')\n"
        "print('jinja2' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.split() == ["False", "True"]


# --- a randomised check: every template scan accepts, Jinja compiles -------------------------

_ATOMS = ["x", "state.size", "user", "a.b.c", "1", "0", "2.5", "'s'", '"t"', "None", "true"]
_ATOMS += ["len(x)", "[]", "[1, 2]", "(1,)", "()", "x[0]", "f(a, b)"]
_BINARY = ["+", "-", "*", "/", "//", "%", "**", "==", "!=", "<", "<=", ">", ">=", "and", "or"]
_BINARY += ["in", "not in"]
_NOISE = [":", "=", "{", "}", "is", "for", "lambda", "r'x'", "1e5", ".5", "1.", "~", "#", "\\"]
_NOISE += ["|", ".", ",", "(", ")", "[", "]", "if", "else", "not", "-", "'a\\'b'", "\n", "is not"]
_NOISE += ["| upper", "| nosuch", "| join(',')", "(", "%}", "}}", "{{", "{%", "{#", "elif"]
_NOISE += ["0x1", "1_0", "x.0", "async", "await", "yield", "import", "é", "`", "$", "@", "^"]
_NOISE += ["'''", '"""', "'", '"', "class", "x.class", "\x0b", "\r", "\t"]


def _expression(rng: random.Random, depth: int = 0) -> str:
    roll = rng.random()
    if depth > 3 or roll < 0.3:
        text = rng.choice(_ATOMS)
    elif roll < 0.55:
        text = f"{_expression(rng, depth + 1)} {rng.choice(_BINARY)} {_expression(rng, depth + 1)}"
    elif roll < 0.65:
        text = f"not {_expression(rng, depth + 1)}"
    elif roll < 0.75:
        text = f"({_expression(rng, depth + 1)})"
    elif roll < 0.85:
        arguments = rng.choice(["", "(', ')", "('a')", "(1, 2)"])
        text = f"{_expression(rng, depth + 1)} | {rng.choice(['join', 'upper', 'default'])}"
        text += arguments
    else:
        parts = [_expression(rng, depth + 1) for _ in range(3)]
        text = f"{parts[0]} if {parts[1]} else {parts[2]}"
    if rng.random() < 0.15:  # a mutation: a stray token somewhere
        words = text.split(" ")
        words.insert(rng.randrange(len(words) + 1), rng.choice(_NOISE))
        text = " ".join(words)
    return text


def _template(rng: random.Random) -> str:
    pieces: list[str] = []
    open_ifs = 0
    for _ in range(rng.randint(1, 6)):
        roll = rng.random()
        if roll < 0.35:
            pieces.append(rng.choice(["Hi ", "!", " and ", "\n", "{ }", "}}", "%}", "50%"]))
        elif roll < 0.65:
            pieces.append("{{ " + _expression(rng) + " }}")
        elif roll < 0.8:
            pieces.append("{% if " + _expression(rng) + " %}")
            open_ifs += 1
        elif roll < 0.9 and open_ifs:
            pieces.append(rng.choice(["{% else %}", "{% elif " + _expression(rng) + " %}"]))
        elif open_ifs:
            pieces.append("{% endif %}")
            open_ifs -= 1
    if rng.random() < 0.85:
        pieces += ["{% endif %}"] * open_ifs
    if rng.random() < 0.1:
        pieces.insert(0, rng.choice(["{{-", "{%-", "{#", "{{+", "{% for x in y %}"]))
    return "".join(pieces)


def test_what_scan_accepts_jinja_compiles() -> None:
    rng = random.Random(20261127)
    accepted = refused = 0
    for _ in range(6_000):
        source = _template(rng)
        segments = scan(source)
        if segments is None:
            refused += 1
            continue
        accepted += 1
        try:
            ENV.from_string(source)
            for kind, expression in segments:
                if kind == "print":
                    ENV.compile_expression(expression)
        except Exception as exc:  # pragma: no cover - the failure message is the point
            pytest.fail(f"scan accepted {source!r}, which Jinja refuses: {exc}")
    assert accepted > 2_000 and refused > 1_000  # both sides of the line are exercised
