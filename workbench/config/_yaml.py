"""YAML loading that remembers where every key and item came from.

Every error a user can cause must name ``file:line``; PyYAML knows the line of each node while
composing, so this loader builds dicts and lists that keep those lines next to the values.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from workbench.schema import BotError, Problem


class LineDict(dict[str, Any]):
    """A dict that knows the line of itself (``line``) and of each of its keys (``lines``)."""

    line: int = 0
    lines: dict[str, int]


class LineList(list[Any]):
    """A list that knows the line of itself (``line``) and of each item (``lines``)."""

    line: int = 0
    lines: list[int]


class _LineLoader(yaml.SafeLoader):
    """SafeLoader whose mappings and sequences are LineDict and LineList.

    Booleans follow YAML 1.2: only true/false. YAML 1.1 also reads yes/no/on/off as booleans,
    which turns a bot's ``choices: [yes, no]`` into True/False — a classic trap for authors.
    """


_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_LineLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.lines = {}
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain value", key_node.start_mark
            )
        key = str(key) if not isinstance(key, str) else key
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(item, deep=True) for item in node.value)
    result.line = node.start_mark.line + 1
    result.lines = [item.start_mark.line + 1 for item in node.value]
    return result


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)
_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG,
    _construct_sequence,
)


def parse_yaml(text: str, file: str, *, first_line: int = 1) -> Any:
    """Parse YAML text; a syntax error becomes a :class:`BotError` at ``file:line``.

    ``first_line`` shifts reported lines, for YAML that sits inside something else (a cell).
    """
    try:
        data = yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + first_line) if mark else first_line
        message = exc.problem or str(exc)
        raise BotError([Problem(file, line, f"invalid YAML: {message}")]) from None
    except yaml.YAMLError as exc:
        raise BotError([Problem(file, first_line, f"invalid YAML: {exc}")]) from None
    if first_line != 1:
        _shift_lines(data, first_line - 1)
    return data


def _shift_lines(data: Any, offset: int) -> None:
    if isinstance(data, LineDict):
        data.line += offset
        data.lines = {k: v + offset for k, v in data.lines.items()}
        for value in data.values():
            _shift_lines(value, offset)
    elif isinstance(data, LineList):
        data.line += offset
        data.lines = [v + offset for v in data.lines]
        for value in data:
            _shift_lines(value, offset)


def load_yaml(path: Path, display: str | None = None) -> Any:
    """Read and parse a YAML file; errors name ``display`` (defaults to the path)."""
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BotError([Problem(name, 0, f"cannot read file: {exc}")]) from None
    return parse_yaml(text, name)


def line_of(data: Any, loc: tuple[int | str, ...]) -> int:
    """The line of the deepest node of ``data`` that ``loc`` (a pydantic error path) reaches."""
    line = getattr(data, "line", 0)
    node = data
    for part in loc:
        if isinstance(node, LineDict) and isinstance(part, str) and part in node:
            line = node.lines.get(part, line)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.lines[part]
            node = node[part]
        else:
            break
    return line
