"""The content of a bot folder (``content/*.yml``): elements by id, read and searched."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from workbench.config import NAME_PATTERN, LineDict, load_yaml
from workbench.content._element import Element, make_element
from workbench.schema import BotError, ContentError, Problem


class ContentLibrary:
    """Content elements by id. Read-only here; editing with revisions builds on top of it."""

    def __init__(self, elements: dict[str, Element] | None = None) -> None:
        self._elements = dict(elements or {})

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
            raise ContentError(f"unknown content element {element_id!r}") from None

    def search(
        self, text: str = "", type: str | None = None, lang: str | None = None
    ) -> list[Element]:
        """Elements whose id or any field contains ``text`` (case-insensitive), by id."""
        needle = text.lower()
        found = []
        for element in sorted(self._elements.values(), key=lambda e: e.id):
            if type is not None and element.type != type:
                continue
            haystack = f"{element.id} {element.fields}".lower()
            if needle in haystack:
                found.append(element)
        return found


def _load_file(path: Path, file: str) -> tuple[dict[str, Element], list[Problem]]:
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
            elements[element_id] = make_element(element_id, raw, file=file, line=line)
        except ContentError as exc:
            problems.append(Problem(file, line, str(exc)))
    return elements, problems


def load_content(folder: Path, display: str) -> tuple[ContentLibrary, list[Problem]]:
    """Load every ``content/*.yml``; duplicate ids across files are errors."""
    elements: dict[str, Element] = {}
    problems: list[Problem] = []
    for path in sorted((folder / "content").glob("*.yml")):
        file = f"{display}/content/{path.name}"
        try:
            found, file_problems = _load_file(path, file)
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
    return ContentLibrary(elements), problems
