"""A content element: fields checked against its type's schema, templates compiled, rendered.

Every string of an element is a template. Text a user reads may hold one string per language
(``{en: Hello, fr: Bonjour}``): which fields may is what the type's schema says (a
``#/definitions/text_value``), so a field that merely looks like ``{url: ...}`` is never taken
for a translation.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from workbench.content._localized import Localized
from workbench.content._render import render_element
from workbench.content._types import TYPES, ContentType
from workbench.expressions import ExpressionError, Template, compile_template
from workbench.schema import ContentError, Reply, short_repr


@dataclass(frozen=True)
class Element:
    """A content element as editors see it: ``id``, ``type``, ``fields`` and ``revision``.

    ``fields`` are in their canonical shape (see :meth:`ContentType.canonical`).
    """

    id: str
    type: str
    fields: dict[str, Any]
    revision: int = 1
    file: str = ""
    line: int = 0
    _compiled: Any = field(default=None, repr=False, compare=False)
    _static: bool = field(default=False, repr=False, compare=False)
    _kind: ContentType | None = field(default=None, repr=False, compare=False)

    @property
    def static(self) -> bool:
        """No field is a template: it renders the same whatever the variables."""
        return self._static

    def render(
        self,
        names: Mapping[str, Any],
        rng: random.Random | None = None,
        language: str | None = None,
        default_language: str | None = None,
    ) -> Reply:
        """The reply this element gives, whole, with its templates rendered over ``names`` in
        ``language`` (else ``default_language``, else the first the text has); shape it for a
        channel with :func:`~workbench.content.for_channel`."""
        return render_element(self, names, rng or random.Random(), language, default_language)

    def texts(self) -> Iterator[tuple[str, Localized]]:
        """Every text a user reads (what may be translated), by field path (``text[0]``,
        ``choices[1].title``)."""
        yield from _texts(self._compiled, "")

    def with_revision(self, revision: int) -> Element:
        return Element(
            self.id,
            self.type,
            self.fields,
            revision,
            self.file,
            self.line,
            self._compiled,
            self._static,
            self._kind,
        )


def make_element(
    element_id: str,
    data: Mapping[str, Any],
    *,
    types: Mapping[str, ContentType] = TYPES,
    revision: int = 1,
    file: str = "",
    line: int = 0,
) -> Element:
    """Check an element's data (``type`` defaults to text) against its type; raises
    :class:`ContentError` naming the element and the field."""
    fields = {k: v for k, v in data.items() if k != "type"}
    raw_type = data.get("type", "text")
    kind_name = raw_type if isinstance(raw_type, str) else short_repr(raw_type)
    label = f"content element {element_id!r}" if element_id else "inline element"
    kind = types.get(kind_name)
    if kind is None:
        known = ", ".join(sorted(types))
        raise ContentError(
            f"{label}: unknown type {short_repr(kind_name)} (known: {known})", element=element_id
        )
    try:
        kind.check(fields)
    except ContentError as exc:
        raise ContentError(f"{label}: {exc}", element=element_id, field=exc.field) from None
    clean = kind.canonical(fields)
    compiled = _compile(clean, kind.schema, kind.schema, label, "")
    static = all(t.is_static for t in _templates(compiled))
    return Element(element_id, kind_name, clean, revision, file, line, compiled, static, kind)


def _resolve(schema: Mapping[str, Any], root: Mapping[str, Any]) -> tuple[Mapping[str, Any], str]:
    """The schema a ``$ref`` points to, and the definition's name ("" when not a reference)."""
    ref = schema.get("$ref")
    if not isinstance(ref, str) or not ref.startswith("#/definitions/"):
        return schema, ""
    name = ref.removeprefix("#/definitions/")
    return root.get("definitions", {}).get(name, {}), name


def _compile(
    value: Any, schema: Mapping[str, Any], root: Mapping[str, Any], label: str, at: str
) -> Any:
    """``value`` with its strings compiled (and localized where the schema says text_value)."""
    schema, name = _resolve(schema, root)
    if name == "text_value" or schema.get("x-ui", {}).get("localized"):
        if isinstance(value, str):  # one text for every language
            return Localized({"": _template(value, label, at)})
        if isinstance(value, dict):
            return Localized(
                {lang: _template(v, label, f"{at}.{lang}") for lang, v in value.items()}
            )
    if isinstance(value, str):
        return _template(value, label, at)
    if isinstance(value, list):
        items = _branch(schema, value, root).get("items", {})
        return [_compile(v, items, root, label, f"{at}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, dict):
        properties = _branch(schema, value, root).get("properties", {})
        return {
            k: _compile(v, properties.get(k, {}), root, label, f"{at}.{k}" if at else k)
            for k, v in value.items()
        }
    return value


def _branch(schema: Mapping[str, Any], value: Any, root: Mapping[str, Any]) -> Mapping[str, Any]:
    """The ``oneOf`` branch of ``schema`` for ``value``'s JSON type (or ``schema`` itself)."""
    wanted = "array" if isinstance(value, list) else "object"
    for option in schema.get("oneOf", ()):
        option, _ = _resolve(option, root)
        if option.get("type") == wanted:
            return option
    return schema


def _template(source: str, label: str, at: str) -> Template:
    try:
        return compile_template(source)
    except ExpressionError as exc:
        where = f" field {at!r}" if at else ""
        raise ContentError(
            f"{label}:{where} bad template {short_repr(source)}: {exc}", field=at
        ) from None


def _templates(value: Any) -> Iterator[Template]:
    if isinstance(value, Template):
        yield value
    elif isinstance(value, Localized):
        yield from value.values.values()
    elif isinstance(value, dict):
        for v in value.values():
            yield from _templates(v)
    elif isinstance(value, list):
        for v in value:
            yield from _templates(v)


def _texts(value: Any, at: str) -> Iterator[tuple[str, Localized]]:
    if isinstance(value, Localized):
        yield at, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _texts(v, f"{at}.{k}" if at else k)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _texts(v, f"{at}[{i}]")
