"""Reading a template without Jinja, for the templates most bots have: text, ``{{ expression }}``
and ``{% if %}`` blocks, split into :data:`Segment` s, with the assurance that Jinja compiles them.

Why: importing Jinja and compiling a template with it cost ~20 ms and ~1 ms, most of the time a
bot takes to load, while most templates render without Jinja (:mod:`._lookups`, the condition
compiler) or are not rendered at all in a given process. A template :func:`scan` accepts is one
Jinja's parser certainly accepts, so :func:`~._templates.compile_template` may leave Jinja's
compile to the first render that needs it and still refuse every broken template at load.

The assurance comes from keeping to syntax that Jinja's grammar and Python's read alike:

- the template's tags are ``{{ }}``, ``{% if %}``, ``{% elif %}``, ``{% else %}`` and
  ``{% endif %}``, properly nested, without whitespace control (``{{-``) or comments;
- an expression is a lookup (``user.name``; keys may be keywords: ``user.class``) or is made
  only of ASCII names, numbers (``12``, ``1.5``), plain quoted strings (no backslash, brace,
  line break or triple quote), ``( ) [ ] , .`` and the operators ``+ - * / // % **
  == != < <= > >=``, the keywords ``and or not in if else True False None`` and filters
  (``| join(', ')``, a filter Jinja has, not followed by ``.``, ``[`` or a second call);
- ``*`` and ``**`` are binary (no ``f(*args)``), ``.`` is followed by a name, a string does
  not follow a name or number directly (``r'x'``), a number does not run into a name (``1e5``,
  ``1if``), and no ``,`` comes right before ``]`` (``x[0,]``: Jinja refuses it);
- brackets and ``{% if %}`` blocks nest at most :data:`MAX_NESTING` deep and an expression has
  at most :data:`MAX_OPERATORS` operators, well inside what Jinja's parser and the Python it
  generates take;
- Python's parser (``ast.parse``) accepts the expression, so it is complete and balanced;
  ``{% if %}`` takes no ``a if b else c`` (Jinja refuses it there), and no expression is a
  tuple without brackets (``a, b``: Jinja's ``compile_expression`` refuses it).

Anything else (``{# #}``, ``for``, ``is`` tests, ``:`` slices, ``=`` keyword arguments, dict
literals, escapes, unknown filters...) makes :func:`scan` answer None, and the template is
compiled by Jinja at load as before, with Jinja's error messages. A randomised test checks that
Jinja compiles every template :func:`scan` accepts.
"""

from __future__ import annotations

import ast
import keyword
import re

__all__ = ["JINJA_FILTERS", "LOOKUP", "Segment", "scan"]

Segment = tuple[str, str]
"""``("text", text)``, ``("print", expression)``, ``("if" | "elif", expression)``,
``("else", "")`` or ``("endif", "")``."""

# fmt: off
JINJA_FILTERS = frozenset({
    "abs", "attr", "batch", "capitalize", "center", "count", "d", "default", "dictsort", "e",
    "escape", "filesizeformat", "first", "float", "forceescape", "format", "groupby", "indent",
    "int", "items", "join", "last", "length", "list", "lower", "map", "max", "min", "pprint",
    "random", "reject", "rejectattr", "replace", "reverse", "round", "safe", "select",
    "selectattr", "slice", "sort", "string", "striptags", "sum", "title", "tojson", "trim",
    "truncate", "unique", "upper", "urlencode", "urlize", "wordcount", "wordwrap", "xmlattr",
})
# fmt: on
"""The filters of the template environment (a test checks this list against it)."""

_KEYWORDS = frozenset(keyword.kwlist)
"""Python's keywords: names Python's parser reads as syntax."""
_ALLOWED_KEYWORDS = frozenset({"and", "or", "not", "in", "if", "else", "True", "False", "None"})

_TAG = re.compile(r"\{[{%#]")
_TOKEN = re.compile(
    r"""
    (?P<space>[\ \t\n]+)
    | (?P<number>\d+(?:\.\d+)?(?![A-Za-z0-9_.]))
    | (?<![A-Za-z0-9_'"])(?P<string>'[^'\\\n{}]*'|"[^"\\\n{}]*")(?!['"])
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?![A-Za-z0-9_'"]))
    | (?P<op>\*\*|//|==|!=|<=|>=|<<|>>|[-+*/%<>()\[\],.|])
    """,
    re.VERBOSE,
)
LOOKUP = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)(?:\s*\.\s*[A-Za-z_][A-Za-z0-9_]*)*\s*")
"""An expression that is a lookup, ``name.key.key`` (group 1: the name)."""
_BLOCK = re.compile(r"\s*(if|elif)\s+(.*\S)\s*|\s*(else|endif)\s*", re.DOTALL)
_AFTER_FILTER_REFUSED = frozenset({"(", "[", "."})
_REFUSED_OPERATORS = frozenset({"<<", ">>"})
"""Read so that ``a >> b`` is not taken for ``a > > b``: Python shifts, Jinja has no such thing."""
MAX_NESTING = 20
"""Deepest brackets in an expression, and ``{% if %}`` blocks in a template, that :func:`scan`
reads: Jinja's parser recurses ~14 frames per bracket, and its compile may run in a render."""
MAX_OPERATORS = 100
"""Most operators, calls, lookups and filters in one expression that :func:`scan` reads: Jinja
nests them in the Python it generates, which Python refuses past ~200 levels."""


def scan(source: str) -> list[Segment] | None:
    """The segments of ``source``, or None when it has more than :func:`scan` reads (see the
    module docstring). The one line break Jinja drops at the end of a template is dropped."""
    if source.endswith("\n"):
        source = source[:-1]
    segments: list[Segment] = []
    open_ifs: list[bool] = []  # for each open {% if %}: whether its {% else %} was seen
    at = 0
    while (tag := _TAG.search(source, at)) is not None:
        if tag.start() > at:
            segments.append(("text", source[at : tag.start()]))
        opener = tag.group()
        if opener == "{#":
            return None
        end = source.find("}}" if opener == "{{" else "%}", tag.end())
        if end < 0:
            return None
        inner = source[tag.end() : end]
        if inner[:1] in ("-", "+") or inner[-1:] in ("-", "+"):
            return None  # whitespace control
        at = end + 2
        if opener == "{{":
            if not _is_expression(inner, in_block=False):
                return None
            segments.append(("print", inner))
            continue
        block = _BLOCK.fullmatch(inner)
        if block is None:
            return None
        kind = block.group(1) or block.group(3)
        if kind == "if":
            open_ifs.append(False)
            if len(open_ifs) > MAX_NESTING:
                return None
        elif not open_ifs:  # elif/else/endif outside an if
            return None
        elif kind == "endif":
            open_ifs.pop()
        elif open_ifs[-1]:  # elif/else after the if's else
            return None
        elif kind == "else":
            open_ifs[-1] = True
        expression = block.group(2) or ""
        if expression and not _is_expression(expression, in_block=True):
            return None
        segments.append((kind, expression))
    if open_ifs:
        return None
    if at < len(source):
        segments.append(("text", source[at:]))
    return segments


def _is_expression(text: str, *, in_block: bool) -> bool:
    """Whether Jinja and Python both read ``text`` as one expression (see the module docstring)."""
    path = LOOKUP.fullmatch(text)
    if path is not None and path.group(1) not in _KEYWORDS:  # a.b.c: keys may be keywords
        return text.count(".") <= MAX_OPERATORS
    tokens: list[tuple[str, str]] = []
    at = 0
    while at < len(text):
        token = _TOKEN.match(text, at)
        if token is None:
            return False
        at = token.end()
        kind = token.lastgroup or ""
        if kind != "space":
            tokens.append((kind, token.group()))
    if not _tokens_allowed(tokens, in_block=in_block):
        return False
    try:
        ast.parse(text.replace("\n", " ").strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _tokens_allowed(tokens: list[tuple[str, str]], *, in_block: bool) -> bool:
    operators = sum(kind == "op" or value in _ALLOWED_KEYWORDS for kind, value in tokens)
    if operators > MAX_OPERATORS:
        return False
    depth = 0
    for index, (kind, value) in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else ("", "")
        depth += value in ("(", "[")
        depth -= value in (")", "]")
        if not 0 <= depth <= MAX_NESTING:
            return False
        if value in _REFUSED_OPERATORS or (value == "," and following[1] == "]"):
            return False
        if value == "," and depth == 0:  # a tuple: Jinja's compile_expression refuses it
            return False
        if value in ("*", "**") and not _ends_operand(tokens[index - 1] if index else ("", "")):
            return False  # *args, a starred item: Python's, not Jinja's
        if kind == "name" and value in _KEYWORDS:
            if value not in _ALLOWED_KEYWORDS or (in_block and value == "if"):
                return False
        elif value == "." and following[0] != "name":
            return False
        elif value == "|":
            if following[0] != "name" or following[1] not in JINJA_FILTERS:
                return False
            after = index + 2
            if after < len(tokens) and tokens[after][1] == "(":
                after = _closing(tokens, after) + 1
            if after < len(tokens) and tokens[after][1] in _AFTER_FILTER_REFUSED:
                return False
    return True


def _ends_operand(token: tuple[str, str]) -> bool:
    kind, value = token
    return (
        kind in ("number", "string")
        or value in (")", "]")
        or (kind == "name" and value not in _KEYWORDS)
    )


def _closing(tokens: list[tuple[str, str]], opening: int) -> int:
    """The index of the bracket that closes the one at ``opening`` (past the end if none)."""
    depth = 0
    for index in range(opening, len(tokens)):
        value = tokens[index][1]
        if value in ("(", "["):
            depth += 1
        elif value in (")", "]"):
            depth -= 1
            if depth == 0:
                return index
    return len(tokens)
