"""The content of a bot folder: its types (``content/types/*.yml``) and its elements
(``content/*.yml``), read with the line of every field, and searched."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from workbench._listing import listing
from workbench.config import NAME_PATTERN, LineDict, line_of, load_yaml
from workbench.content._element import Element, make_element
from workbench.content._schemas import LANGUAGE_PATTERN
from workbench.content._types import TYPES, ContentType, Renderer, custom_type
from workbench.schema import BotError, ContentError, Problem

LANGUAGE = re.compile(LANGUAGE_PATTERN)


class ContentLibrary:
    """Content elements by id, and the types they are checked against (read-only: editing
    with revisions builds on top of it)."""

    def __init__(
        self,
        elements: Mapping[str, Element] | None = None,
        types: Mapping[str, ContentType] | None = None,
    ) -> None:
        self._elements = dict(elements or {})
        self.types: dict[str, ContentType] = dict(types or TYPES)

    def __contains__(self, element_id: object) -> bool:
        return element_id in self._elements

    def __iter__(self) -> Iterator[Element]:
        return iter(self._elements.values())

    def __len__(self) -> int:
        return len(self._elements)

    def ids(self) -> set[str]:
        return set(self._elements)

    def get(self, element_id: str) -> Element:
        try:
            return self._elements[element_id]
        except KeyError:
            raise ContentError(
                f"unknown content element {element_id!r}", element=element_id
            ) from None

    def search(
        self, text: str = "", type: str | None = None, lang: str | None = None
    ) -> list[Element]:
        """Elements whose id or any field, in any language (or only in ``lang``), contains
        ``text`` (case-insensitive), sorted by id; ``type`` keeps one type."""
        needle = text.lower()
        found = []
        for element in sorted(self._elements.values(), key=lambda e: e.id):
            if type is not None and element.type != type:
                continue
            if not needle or needle in element.id.lower():
                found.append(element)
                continue
            if any(needle in value.lower() for value in strings_of(element.fields, lang)):
                found.append(element)
        return found


def strings_of(value: Any, lang: str | None = None) -> Iterator[str]:
    """The strings inside ``value``; with ``lang``, of per-language text only that language's."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        if lang is not None and _per_language(value):
            if lang in value:
                yield value[lang]
            return
        for item in value.values():
            yield from strings_of(item, lang)
    elif isinstance(value, list):
        for item in value:
            yield from strings_of(item, lang)


def _per_language(value: dict[str, Any]) -> bool:
    return bool(value) and all(
        isinstance(v, str) and LANGUAGE.fullmatch(k) for k, v in value.items()
    )


def load_types(
    folder: Path, display: str, renderers: Mapping[str, Renderer]
) -> tuple[dict[str, ContentType], list[Problem]]:
    """The built-in types and those of ``content/types/*.yml`` (each a JSON Schema)."""
    types = dict(TYPES)
    problems: list[Problem] = []
    for path in sorted((folder / "content" / "types").glob("*.yml")):
        file = f"{display}/content/types/{path.name}"
        try:
            schema = load_yaml(path, file)
            types[path.stem] = custom_type(path.stem, schema, renderers.get(path.stem))
        except BotError as exc:
            problems += exc.problems
        except ContentError as exc:
            problems.append(Problem(file, 1, str(exc)))
    for name in sorted(set(renderers) - set(types)):
        problems.append(
            Problem(f"{display}/actions.py", 1, f"@renderer({name!r}): no content type {name!r}")
        )
    return types, problems


def _load_file(
    path: Path, file: str, types: Mapping[str, ContentType]
) -> tuple[dict[str, Element], list[Problem]]:
    data = load_yaml(path, file)
    if data is None:
        return {}, []
    if not isinstance(data, LineDict):
        return {}, [Problem(file, 1, "a content file maps element ids to elements")]
    elements: dict[str, Element] = {}
    problems: list[Problem] = []
    for element_id, raw in data.items():
        line = data.lines[element_id]
        if not re.match(NAME_PATTERN, element_id):
            problems.append(Problem(file, line, f"bad element id {element_id!r}"))
            continue
        if isinstance(raw, str | int | float) and not isinstance(raw, bool):
            raw = {"text": str(raw)}
        if not isinstance(raw, dict):
            problems.append(Problem(file, line, f"element {element_id!r} must be a mapping"))
            continue
        try:
            elements[element_id] = make_element(element_id, raw, types=types, file=file, line=line)
        except ContentError as exc:
            where = line_of(raw, _loc(exc.field)) if exc.field else line
            problems.append(Problem(file, where or line, str(exc)))
    return elements, problems


def _loc(field: str) -> tuple[int | str, ...]:
    """``choices[0].title`` as a path of keys and indexes."""
    return tuple(int(part) if part.isdigit() else part for part in re.findall(r"[^.\[\]]+", field))


FileCache = dict[
    str, tuple[tuple[int, int], Mapping[str, ContentType], dict[str, Element], list[Problem]]
]
"""What each content file held when last read: by path, its (modification time, size), the
types it was checked against, its elements and its problems (see :func:`load_content`)."""


def load_content(
    folder: Path,
    display: str,
    types: Mapping[str, ContentType] | None = None,
    cache: FileCache | None = None,
) -> tuple[ContentLibrary, list[Problem]]:
    """Load every ``content/*.yml``; duplicate ids across files are errors.

    With a ``cache`` (kept by the caller between loads), a file unchanged since the last load
    (same modification time and size, same types) is not read again: an edit of one file of a
    large bot costs that file (about 0.25 ms an element), not the whole content.
    """
    types = dict(types or TYPES)
    elements: dict[str, Element] = {}
    problems: list[Problem] = []
    for path in sorted((folder / "content").glob("*.yml")):
        file = f"{display}/content/{path.name}"
        try:
            found, file_problems = _cached_file(path, file, types, cache)
        except BotError as exc:
            problems += exc.problems
            continue
        problems += file_problems
        for element_id, element in found.items():
            if element_id in elements:
                first = elements[element_id]
                message = f"duplicate element {element_id!r} (first in {first.file}:{first.line})"
                problems.append(Problem(file, element.line, message))
            else:
                elements[element_id] = element
    return ContentLibrary(elements, types), problems


def _cached_file(
    path: Path, file: str, types: dict[str, ContentType], cache: FileCache | None
) -> tuple[dict[str, Element], list[Problem]]:
    if cache is None:
        return _load_file(path, file, types)
    info = path.stat()
    stamp = (info.st_mtime_ns, info.st_size)
    known = cache.get(str(path))
    # Elements hold their type (schema and renderer): a changed type is a changed file.
    if known is not None and known[0] == stamp and known[1] == types:
        return known[2], known[3]
    found, problems = _load_file(path, file, types)
    cache[str(path)] = (stamp, types, found, problems)
    return found, problems


Signature = tuple[tuple[str, int, int], ...]


def content_signature(folder: Path) -> Signature:
    """What changes when a content file (or type) is edited, added or removed: each file's
    name, modification time and size, and the folders' own times (a rename shows there)."""
    found: list[tuple[str, int, int]] = []
    content = os.path.join(folder, "content")
    for label, path in (("content", content), ("types", os.path.join(content, "types"))):
        try:
            mtime, names = listing(path, (".yml",))
            for name in names:
                info = os.stat(os.path.join(path, name))
                found.append((f"{label}/{name}", info.st_mtime_ns, info.st_size))
        except OSError:  # no such folder (or a file removed just now)
            continue
        found.append((label, mtime, 0))
    return tuple(sorted(found))
