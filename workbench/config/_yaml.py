"""YAML loading that remembers where every key and item came from.

Every error a user can cause must name ``file:line``; PyYAML knows the line of each node while
composing, so this loader builds dicts and lists that keep those lines next to the values.
"""

from __future__ import annotations

import functools
import importlib
import re
from pathlib import Path
from types import ModuleType
from typing import Any

from workbench.schema import BotError, Problem


class LineDict(dict[str, Any]):
    """A dict that knows the line of itself (``line``) and of each of its keys (``lines``)."""

    line: int = 0
    lines: dict[str, int]


class LineList(list[Any]):
    """A list that knows the line of itself (``line``) and of each item (``lines``)."""

    line: int = 0
    lines: list[int]


def _yaml() -> ModuleType:
    """PyYAML, imported by the first file read rather than by ``import workbench``."""
    return importlib.import_module("yaml")


MAX_DEPTH = 50
"""How deeply lists and mappings may nest in a bot file (everything reading them recurses)."""
ALIAS_BUDGET = 10_000
"""How many values aliases (``*name``) may add to a file, all uses together (an alias bomb
of nine aliases to nine aliases, eight times over, would add 43 million)."""


def _deeper(loader: Any, node: Any) -> None:
    """One level deeper in the loader (a collection is being built): too deep is an error here.
    (A loader reads one document: after an error it is thrown away, its depth with it.)"""
    loader.depth += 1
    if loader.depth > MAX_DEPTH:
        raise _yaml().constructor.ConstructorError(
            None, None, f"nested more than {MAX_DEPTH} levels deep", node.start_mark
        )


def _construct_mapping(loader: Any, node: Any) -> LineDict:
    _deeper(loader, node)
    result = _mapping(loader, node)
    loader.depth -= 1
    return result


def _mapping(loader: Any, node: Any) -> LineDict:
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.lines = {}
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) and key is not None:
            raise _yaml().constructor.ConstructorError(
                None, None, "a key must be a plain value", key_node.start_mark
            )
        key = str(key) if not isinstance(key, str) else key
        if key in result:
            raise _yaml().constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: Any, node: Any) -> LineList:
    _deeper(loader, node)
    result = LineList(loader.construct_object(item, deep=True) for item in node.value)
    result.line = node.start_mark.line + 1
    result.lines = [item.start_mark.line + 1 for item in node.value]
    loader.depth -= 1
    return result


def _construct_int(loader: Any, node: Any) -> int:
    try:
        return loader.construct_yaml_int(node)  # type: ignore[no-any-return]
    except ValueError:  # more digits than Python converts (4,300)
        raise _yaml().constructor.ConstructorError(
            None, None, f"number too long ({len(node.value):,} characters)", node.start_mark
        ) from None


@functools.cache
def _loaders() -> tuple[type[Any], ...]:
    """The loaders to try, fastest first: libyaml's parser when PyYAML has it, then PyYAML's own.

    Both are SafeLoaders whose mappings and sequences are LineDict and LineList, and whose
    booleans follow YAML 1.2: only true/false. YAML 1.1 also reads yes/no/on/off as booleans,
    which turns a bot's ``choices: [yes, no]`` into True/False — a classic trap for authors.
    libyaml builds the same values with the same lines ~10x faster; PyYAML's messages are
    the ones users see (see :func:`parse_yaml`). Built on first use: PyYAML loads only then.
    """
    yaml = _yaml()
    bases: list[type[Any]] = [yaml.SafeLoader]
    if getattr(yaml, "__with_libyaml__", False):
        bases.insert(0, yaml.CSafeLoader)
    resolvers = {
        first: [(tag, regexp) for tag, regexp in entries if tag != "tag:yaml.org,2002:bool"]
        for first, entries in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    loaders = []
    for base in bases:
        loader: Any = type(f"_Line{base.__name__}", (base,), {"depth": 0})
        loader.yaml_implicit_resolvers = {k: list(v) for k, v in resolvers.items()}
        loader.add_implicit_resolver("tag:yaml.org,2002:bool", _BOOL, list("tTfF"))
        tags = yaml.resolver.BaseResolver
        loader.add_constructor(tags.DEFAULT_MAPPING_TAG, _construct_mapping)
        loader.add_constructor(tags.DEFAULT_SEQUENCE_TAG, _construct_sequence)
        loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
        loaders.append(loader)
    return tuple(loaders)


_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


def parse_yaml(text: str, file: str, *, first_line: int = 1) -> Any:
    """Parse YAML text; a syntax error becomes a :class:`BotError` at ``file:line``.

    ``first_line`` shifts reported lines, for YAML that sits inside something else (a cell).
    Text that libyaml refuses is parsed again by PyYAML, whose message and line are reported.
    """
    yaml, (*fast, python) = _yaml(), _loaders()
    refused = None
    for loader in fast:
        try:
            data = _load(text, loader)
        except yaml.YAMLError as exc:
            refused = exc
            break
        return _shifted(data, first_line)
    if _final(refused):  # said as PyYAML would say it, which would recurse to get there
        raise _problem(refused, file, first_line) from None
    try:
        data = _load(text, python)
    except yaml.MarkedYAMLError as exc:
        raise _problem(exc, file, first_line) from None
    except yaml.YAMLError as exc:
        raise BotError([Problem(file, first_line, f"invalid YAML: {exc}")]) from None
    except RecursionError:  # PyYAML's parser recurses where libyaml gave up, and said where
        mark = getattr(refused, "problem_mark", None)
        line = (mark.line + first_line) if mark else first_line
        message = f"invalid YAML: nested more than {MAX_DEPTH} levels deep"
        raise BotError([Problem(file, line, message)]) from None
    return _shifted(data, first_line)


def _final(exc: Exception | None) -> bool:
    """Whether libyaml's error is the one to report: too deep, or found building the values."""
    yaml = _yaml()
    if isinstance(exc, yaml.constructor.ConstructorError):
        return True
    return isinstance(exc, yaml.MarkedYAMLError) and "nesting depth" in str(exc.problem)


def _problem(exc: Any, file: str, first_line: int) -> BotError:
    mark = exc.problem_mark or exc.context_mark
    line = (mark.line + first_line) if mark else first_line
    message = exc.problem or str(exc)
    if "nesting depth" in message:
        message = f"nested more than {MAX_DEPTH} levels deep"
    return BotError([Problem(file, line, f"invalid YAML: {message}")])


def _load(text: str, loader_class: type[Any]) -> Any:
    """``yaml.load`` in its two steps, with the alias budget checked in between."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if "&" in text and "*" in text:  # no anchor or no alias: nothing to expand
            _check_aliases(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _check_aliases(root: Any) -> None:
    """Refuse a document whose aliases expand it by more than :data:`ALIAS_BUDGET` values.

    An alias is the node it names, shared: the sizes of the nodes as if expanded are counted
    children first, each node once, and the innermost node found too big is the one reported.
    """
    sizes: dict[int, int] = {}
    order: list[Any] = []
    stack: list[tuple[Any, bool]] = [(root, False)]
    open_ids: set[int] = set()
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            open_ids.discard(key)
            sizes[key] = 1 + sum(sizes.get(id(child), 1) for child in _children(node))
            order.append(node)
        elif key not in sizes and key not in open_ids:  # (a node inside itself: refused later)
            open_ids.add(key)
            stack.append((node, True))
            stack.extend((child, False) for child in _children(node))
    limit = len(sizes) + ALIAS_BUDGET
    for node in order:
        if sizes[id(node)] > limit:
            raise _yaml().constructor.ConstructorError(
                None,
                None,
                f"aliases (*name) expand this value to {sizes[id(node)]:,} values "
                f"(the file may add at most {ALIAS_BUDGET:,} by aliases)",
                node.start_mark,
            )


def _children(node: Any) -> list[Any]:
    value = node.value
    if not isinstance(value, list):
        return []
    if value and isinstance(value[0], tuple):  # a mapping: (key, value) pairs
        return [part for pair in value for part in pair]
    return value


def _shifted(data: Any, first_line: int) -> Any:
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
        data = path.read_bytes()
    except OSError as exc:
        raise BotError([Problem(name, 0, f"cannot read file: {exc}")]) from None
    return parse_yaml(decode_utf8(data, name), name)


def decode_utf8(data: bytes, file: str) -> str:
    """The text of a file, which must be UTF-8; else a :class:`BotError` at the line and column
    of the first byte that is not (a BOM in front is dropped, as editors write one)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = data[exc.start : exc.start + 1].hex()
        message = f"not UTF-8: byte 0x{byte} at column {column} cannot be decoded; save as UTF-8"
        raise BotError([Problem(file, line, message)]) from None


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
