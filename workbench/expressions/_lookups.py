"""Templates made of text, ``{{ name.key }}`` lookups and ``{% if name.key %}`` blocks, rendered
without Jinja (most bot messages: ``Your {{ state.size }} pizza``, ``Hi{% if user.name %} ...``).

Jinja's sandbox reads ``a.b`` on a dict as its key ``b`` when it has one, else as the attribute
``b`` of the value, else as undefined, which prints as "" and is false, as does what follows it
(``a.b.c``, unless a key starts with ``_``); it prints a value with ``str`` and null as "", and
``{% if %}`` takes a value's truth. That is all :class:`Lookups` does. Where Jinja would read an
attribute (``state.items`` on a dict without that key is its method; ``_`` names are refused),
:meth:`Lookups.render` answers None, and the caller renders the template with Jinja as before:
the text and the errors are Jinja's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from workbench.expressions._template_scan import LOOKUP, Segment

__all__ = ["Lookups"]

NOT_LOOKUPS = frozenset(
    {"true", "false", "none", "True", "False", "None", "self", "loop", "caller", "varargs"}
    | {"kwargs"}
)
"""Names that Jinja does not look up in the render's names."""

Path = tuple[str, ...]
"""A lookup: the name, then the keys."""


@dataclass(frozen=True, slots=True)
class Branch:
    """``{% if test %}then{% else %}otherwise{% endif %}``."""

    test: Path
    then: tuple[Part, ...]
    otherwise: tuple[Part, ...]


Part = str | Path | Branch
"""Text as it is, a lookup, or a branch."""


class _NotLookups(Exception):
    """The template has something else: Jinja renders it."""


class _Miss(Exception):
    """A lookup would read an attribute: Jinja decides."""


@dataclass(frozen=True, slots=True)
class Lookups:
    """A template of text, lookups and branches (see the module docstring)."""

    parts: tuple[Part, ...]

    @staticmethod
    def of(segments: Iterable[Segment], jinja_names: Iterable[str]) -> Lookups | None:
        """The template of ``segments`` (:func:`~._template_scan.scan`), or None if it has more
        than text, lookups and branches, or none of them; ``jinja_names``: the environment's
        globals, which a lookup may not start with."""
        try:
            parts, _ = _parts(iter(segments), ())
        except _NotLookups:
            return None
        paths = list(_paths(parts))
        reserved = NOT_LOOKUPS.union(jinja_names)
        if not paths or any(path[0] in reserved for path in paths):
            return None
        return Lookups(parts)

    def render(self, names: Mapping[str, Any]) -> str | None:
        """The text, or None when Jinja must decide."""
        out: list[str] = []
        try:
            _render(self.parts, names, out)
        except _Miss:
            return None
        return "".join(out)


def _parts(segments: Iterator[Segment], stops: tuple[str, ...]) -> tuple[tuple[Part, ...], str]:
    """Parts up to a ``{% stop %}`` tag (its name), or to the end ("") when ``stops`` is empty;
    raises :class:`_NotLookups` for anything but text, lookups and ``if``/``else``."""
    found: list[Part] = []
    for kind, value in segments:
        if kind == "text":
            found.append(value)
        elif kind == "print":
            found.append(_path(value))
        elif kind in stops:
            return tuple(found), kind
        elif kind == "if":
            test = _path(value)
            then, stop = _parts(segments, ("else", "endif"))
            otherwise: tuple[Part, ...] = ()
            if stop == "else":
                otherwise, _ = _parts(segments, ("endif",))
            found.append(Branch(test, then, otherwise))
        else:
            raise _NotLookups
    if stops:  # a block that does not end (scan refused it already)
        raise _NotLookups
    return tuple(found), ""


def _path(expression: str) -> Path:
    """``name.key.key``."""
    if LOOKUP.fullmatch(expression) is None:
        raise _NotLookups
    return tuple(key.strip() for key in expression.split("."))


def _paths(parts: tuple[Part, ...]) -> Iterable[Path]:
    for part in parts:
        if isinstance(part, Branch):
            yield part.test
            yield from _paths(part.then)
            yield from _paths(part.otherwise)
        elif isinstance(part, tuple):
            yield part


def _render(parts: tuple[Part, ...], names: Mapping[str, Any], out: list[str]) -> None:
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif isinstance(part, tuple):
            value = _find(names, part)
            out.append("" if value is None else str(value))
        else:
            _render(part.then if _find(names, part.test) else part.otherwise, names, out)


def _find(names: Mapping[str, Any], path: Path) -> Any:
    """The value at ``path``: None for undefined, :class:`_Miss` where Jinja reads an attribute."""
    value: Any = names
    for depth, key in enumerate(path):
        if isinstance(value, Mapping) and key in value:
            value = value[key]
        elif depth and hasattr(value, key):  # (a name is never an attribute of the names)
            raise _Miss
        elif any(rest.startswith("_") for rest in path[depth + 1 :]):
            raise _Miss  # undefined.attribute is undefined, but the sandbox refuses "_" names
        else:
            return None
    return value
