"""Writing one element of a content file in place: the rest of the file stays byte for byte.

The bot folder's files are the one source of truth, and people comment and order them. So an
edit does not dump the whole file: YAML's composer gives the lines of each top-level element,
only the edited element's lines are replaced (or removed, or a new element appended), the
result is read back and checked, and then it replaces the file in one atomic rename. Comments
and blank lines between elements stay where they are; the edited element itself is written in
the file's usual style (block fields, short lists and ``{title, value}`` pairs inline).
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import os
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from workbench.config import parse_yaml
from workbench.schema import BotError, ContentError


class _Inline(dict[str, Any]):
    """A mapping written inline (``{title: Small, value: small}``)."""


@functools.cache
def _dumper() -> type[Any]:
    """Block fields; lists of plain values and mappings inside lists inline; list items
    indented under their key, as people write them. Built on first use: PyYAML is imported by
    the first edit, not by ``from workbench import Bot``."""
    yaml = importlib.import_module("yaml")

    class Dumper(yaml.SafeDumper):  # type: ignore[misc,name-defined]
        def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
            super().increase_indent(flow, False)

    def as_list(dumper: Any, data: list[Any]) -> Any:
        inline = all(isinstance(v, str | int | float | bool) or v is None for v in data)
        return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=inline)

    def as_dict(dumper: Any, data: dict[str, Any]) -> Any:
        return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=False)

    def as_inline(dumper: Any, data: _Inline) -> Any:
        return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True)

    Dumper.add_representer(list, as_list)
    Dumper.add_representer(dict, as_dict)
    Dumper.add_representer(_Inline, as_inline)
    return Dumper


def element_yaml(element_id: str, data: Mapping[str, Any]) -> str:
    """The YAML of one element (``data`` has ``type`` unless it is text), as written in files:
    a text with one plain variation is written as a bare string."""
    data = {k: v for k, v in data.items() if not (k == "type" and v == "text")}  # the default
    value: Any = _styled(data)
    text = data.get("text")
    if set(data) == {"text"} and isinstance(text, list) and len(text) == 1:
        value = _styled(text[0]) if isinstance(text[0], str) else {"text": _styled(text[0])}
    elif isinstance(text, list) and len(text) == 1:
        value["text"] = _styled(text[0])
    dumped = importlib.import_module("yaml").dump(
        {element_id: value}, Dumper=_dumper(), sort_keys=False, allow_unicode=True, width=1000
    )
    return str(dumped)


def _styled(value: Any, in_list: bool = False) -> Any:
    if isinstance(value, dict):
        items = {k: _styled(v) for k, v in value.items()}
        plain = all(isinstance(v, str | int | float | bool) or v is None for v in items.values())
        return _Inline(items) if in_list and plain else items
    if isinstance(value, list):
        return [_styled(v, in_list=True) for v in value]
    return value


def element_spans(text: str) -> dict[str, tuple[int, int]]:
    """Each top-level element's lines, ``[first, end)`` (0-based), without the blank lines and
    comments that follow it (those belong to what comes next)."""
    yaml = importlib.import_module("yaml")
    # libyaml's composer gives the same nodes and marks ~20x faster: a save in a file of 1,000
    # elements took ~0.45 s here with PyYAML's own, most of the save
    loader = yaml.CSafeLoader if getattr(yaml, "__with_libyaml__", False) else yaml.SafeLoader
    node = yaml.compose(text, Loader=loader)
    if node is None:
        return {}
    if not isinstance(node, yaml.MappingNode):
        raise ContentError("a content file maps element ids to elements")
    lines = text.splitlines()
    spans: dict[str, tuple[int, int]] = {}
    for key, value in node.value:
        first = key.start_mark.line
        end = value.end_mark.line + (1 if value.end_mark.column else 0)
        while end > first + 1 and _filler(lines[end - 1] if end - 1 < len(lines) else ""):
            end -= 1
        spans[str(key.value)] = (first, end)
    return spans


def _filler(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def edited(text: str, element_id: str, data: Mapping[str, Any] | None) -> str:
    """``text`` with the element written (replaced, or appended if new), or removed if ``data``
    is None."""
    spans = element_spans(text)
    lines = text.splitlines(keepends=True)
    new = [] if data is None else element_yaml(element_id, data).splitlines(keepends=True)
    if element_id in spans:
        first, end = spans[element_id]
        return "".join(lines[:first] + new + lines[end:])
    if data is None:
        raise ContentError(f"no content element {element_id!r} in this file", element=element_id)
    head = "".join(lines)
    if head and not head.endswith("\n"):
        head += "\n"
    return head + "".join(new)


def write_element(path: Path, element_id: str, data: Mapping[str, Any] | None) -> None:
    """Write one element of ``path`` in place (see the module docstring); raises
    :class:`ContentError` and leaves the file as it was if the file cannot be written or the
    result would not read back as intended."""
    try:
        before = path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(f"cannot read {path}: {exc}", element=element_id) from None
    newline = "\r\n" if "\r\n" in before else "\n"
    try:
        after = edited(before.replace("\r\n", "\n"), element_id, data)
        check = parse_yaml(after, str(path)) or {}
    except (importlib.import_module("yaml").YAMLError, BotError) as exc:
        raise ContentError(
            f"{path}: the edit would not read back: {exc}", element=element_id
        ) from None
    if data is None and element_id in check:
        raise ContentError(f"{path}: {element_id!r} is still there after deleting it")
    if data is not None and element_id not in check:
        raise ContentError(f"{path}: {element_id!r} is missing after writing it")
    replace_file(path, after.replace("\n", newline).encode("utf-8"))


def replace_file(path: Path, content: bytes) -> None:
    """Write ``content`` to a temporary file next to ``path``, then rename it over ``path``:
    readers see the old file or the new one, never half of it; the file keeps its mode."""
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise ContentError(f"cannot write in {path.parent}: {exc.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        if path.exists() and not os.access(path, os.W_OK):
            raise PermissionError(f"{path} is not writable")
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise ContentError(f"cannot write {path}: {exc.strerror or exc}") from None
