"""A form generated from a content type's JSON Schema and its ``x-ui`` hints.

Every type gets its form the same way, built-in or a bot's own (``content/types/NAME.yml``):
``#/definitions/variations`` is a message with variations, ``#/definitions/text_value`` (or
``x-ui.localized``) a text with one box per language of the bot, ``#/definitions/choice`` a
button and its value, objects are groups of fields, arrays lists of items to add, remove and
move; strings, numbers, yes/no and fixed lists have their own inputs; anything else is shown
as YAML, kept whole. Labels come from ``x-ui.label`` (else the field's name in plain words).

A :class:`~workbench.schema.ContentError` naming a field (``choices[0].title``) is shown next
to that field (:meth:`ContentForm.show_error`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import ipywidgets as widgets

from workbench.content import ContentType
from workbench.dashboards._form_fields import (
    BoolField,
    EnumField,
    Field,
    FormContext,
    LocalizedField,
    NumberField,
    Path,
    RawField,
    TextField,
    error_html,
    humanize,
    language_name,
)
from workbench.dashboards._form_groups import (
    ArrayField,
    ChoiceField,
    ObjectField,
    VariationsField,
    singular,
)

__all__ = ["ContentForm", "build_field", "field_message", "field_words", "parse_path"]

_JSON_TYPES = {bool: "boolean", int: "number", float: "number", str: "string", list: "array"}


def _resolve(schema: Mapping[str, Any], root: Mapping[str, Any]) -> tuple[Mapping[str, Any], str]:
    """The schema a ``#/definitions/NAME`` reference points to, and NAME ("" if none)."""
    ref = schema.get("$ref")
    if not isinstance(ref, str) or not ref.startswith("#/definitions/"):
        return schema, ""
    name = ref.removeprefix("#/definitions/")
    target, inner = _resolve(root.get("definitions", {}).get(name, {}), root)
    return target, inner or name


def _branch(options: Iterable[Mapping[str, Any]], value: Any, root: Mapping[str, Any]) -> Any:
    """The ``oneOf`` option for ``value``'s JSON type (an object's when there is no value)."""
    wanted = _JSON_TYPES.get(type(value), "object")
    resolved = [(option, _resolve(option, root)[0]) for option in options]
    for option, target in resolved:
        kind = target.get("type")
        if kind == wanted or (wanted == "number" and kind == "integer"):
            return option
    return resolved[0][0] if resolved else {}


def build_field(
    ctx: FormContext, schema: Mapping[str, Any], value: Any, name: str, required: bool = False
) -> Field:
    """The field that edits ``value`` as ``schema`` describes it (see the module docstring)."""
    target, ref = _resolve(schema, ctx.root)
    ui = {**(target.get("x-ui") or {}), **(schema.get("x-ui") or {})}
    label = str(ui.get("label") or humanize(name))
    hints: dict[str, Any] = {"help": str(ui.get("help") or ""), "required": required}
    kind = str(ui.get("widget") or "text")
    if ref == "variations" or ui.get("variations"):
        return VariationsField(ctx, label, value, kind=kind, **hints)
    if ref == "text_value" or ui.get("localized"):
        return LocalizedField(ctx, label, value, kind=kind, **hints)
    options = target.get("oneOf") or target.get("anyOf")
    if ref == "choice" and options:
        item = _resolve(_branch(options, {}, ctx.root), ctx.root)[0]
        return ChoiceField(ctx, label, item, value, **hints)
    if options:
        option = _branch(options, value, ctx.root)
        return build_field(ctx, {**option, "x-ui": {**ui, "label": label}}, value, name, required)
    return _simple(ctx, target, value, label, kind, hints)


def _simple(
    ctx: FormContext,
    schema: Mapping[str, Any],
    value: Any,
    label: str,
    kind: str,
    hints: dict[str, Any],
) -> Field:
    if "enum" in schema:
        return EnumField(ctx, label, value, list(schema["enum"]), **hints)
    json_type = schema.get("type")
    if json_type == "object" and "properties" in schema:
        return ObjectField(ctx, label, schema, value, **hints)
    if json_type == "array" and isinstance(schema.get("items"), Mapping):
        if value is not None and not isinstance(value, list):
            return RawField(ctx, label, value, **hints)
        return ArrayField(ctx, label, schema["items"], value, **hints)
    if json_type == "string" and (value is None or isinstance(value, str)):
        return TextField(ctx, label, value, kind=kind, **hints)
    if json_type in ("number", "integer") and not isinstance(value, bool | str | list | dict):
        return NumberField(ctx, label, value, integer=json_type == "integer", **hints)
    if json_type == "boolean" and (value is None or isinstance(value, bool)):
        return BoolField(ctx, label, value, **hints)
    return RawField(ctx, label, value, **hints)


def parse_path(field: str) -> Path:
    """``choices[0].title`` -> ``["choices", 0, "title"]``."""
    return [int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", field)]


def field_words(content_type: ContentType, fields: Mapping[str, Any], field: str) -> str:
    """A field of an element in the words of its form: ``choices[1].title`` is ``Choice 2 >
    Button``, ``text[0].fr`` of a message with one text ``Message > French (fr)``."""
    root = content_type.schema
    schema: Mapping[str, Any] = root
    value: Any = fields
    words: list[str] = []
    for part in parse_path(field):
        target, ref = _resolve(schema, root)
        options = target.get("oneOf") or target.get("anyOf")
        if options:
            target = _resolve(_branch(options, value, root), root)[0]
        if isinstance(part, int):
            items = value if isinstance(value, list) else []
            label = words.pop() if words else "Item"
            if ref == "variations":
                words.append(label if len(items) == 1 else f"{label}, variation {part + 1}")
            else:
                words.append(f"{singular(label)} {part + 1}")
            schema, value = target.get("items") or {}, items[part] if part < len(items) else None
            continue
        prop = (target.get("properties") or {}).get(part)
        if prop is None:  # a language of a text, or a key the schema does not name
            words.append(language_name(part) if isinstance(value, dict) else str(part))
            break
        ui = {**(_resolve(prop, root)[0].get("x-ui") or {}), **(prop.get("x-ui") or {})}
        words.append(str(ui.get("label") or humanize(part)))
        schema, value = prop, value.get(part) if isinstance(value, Mapping) else None
    return " > ".join(words) or field


_REASON = re.compile(r"field '[^']*'[: ]\s*(.*)$", re.DOTALL)


def field_message(message: str) -> str:
    """What to write next to a field, from a :class:`ContentError`'s whole message:
    ``content element 'ask': field 'choices[0].value': is required`` -> ``This field is
    required``."""
    found = _REASON.search(message)
    reason = found.group(1).strip() if found else message
    if reason.startswith(("is ", "must ", "needs ")):
        return f"This field {reason}"
    return reason[:1].upper() + reason[1:]


class ContentForm:
    """The form of one element: its fields as its type's schema says (see the module
    docstring). ``read_only`` shows a version without letting it be changed; ``guard`` wraps
    what the form's buttons do (see :class:`FormContext`)."""

    def __init__(
        self,
        content_type: ContentType,
        languages: Iterable[str],
        fields: Mapping[str, Any] | None = None,
        *,
        read_only: bool = False,
        guard: Callable[[Callable[[], None]], Callable[[], None]] | None = None,
    ) -> None:
        self.type = content_type
        self.ctx = FormContext(content_type.schema, list(languages), build_field)
        if guard is not None:
            self.ctx.guard = guard
        self.root = ObjectField(self.ctx, content_type.title, content_type.schema, fields or {})
        self.root.hide_title()
        self.general_error = widgets.HTML("")
        self.widget = widgets.VBox(
            [self.general_error, self.root.widget], layout=widgets.Layout(width="100%")
        )
        self.widget.add_class("wb-form")
        if read_only:
            self.root.set_disabled(True)
            self.widget.add_class("wb-read-only")

    def value(self) -> dict[str, Any]:
        """The element's fields as typed (empty fields left out)."""
        found = self.root.value()
        return dict(found) if isinstance(found, Mapping) else {}

    def on_change(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` after every change a person makes in the form."""
        self.ctx.listeners.append(callback)

    def show_error(self, field: str, message: str) -> None:
        """Show ``message`` (a ContentError's) next to ``field``, else at the top of the form."""
        text = field_message(message) if field else message
        path = parse_path(field)
        if not path or path[0] not in self.root.children or not self.root.show_error(path, text):
            self.general_error.value = error_html(text)

    def clear_errors(self) -> None:
        self.general_error.value = ""
        self.root.clear_errors()

    def describe(self, field: str) -> str:
        """``choices[1].title.fr`` in the form's words: ``Choices > Choice 2 > Button >
        French (fr)`` (as of the last :meth:`value`, whose empty items are left out)."""
        words: list[str] = []
        found: Field = self.root
        for part in parse_path(field):
            if isinstance(found, ObjectField) and part in found.children:
                found = found.children[str(part)]
                words.append(found.label)
            elif isinstance(found, ArrayField) and isinstance(part, int):
                if part >= len(found.positions):
                    break
                index = found.positions[part]
                if not (isinstance(found, VariationsField) and len(found.items) == 1):
                    words.append(f"{found.item_label} {index + 1}")
                found = found.items[index]
            elif isinstance(found, LocalizedField) and part in found.inputs:
                if len(found.inputs) > 1:
                    words.append(language_name(str(part)))
                break
            else:
                words.append(str(part))
                break
        return " > ".join(words) or field

    def field(self, path: str) -> Field:
        """The field at ``path`` (``choices[0].title``), for tests and callers that fill one."""
        found: Field = self.root
        for part in parse_path(path):
            if isinstance(found, ObjectField) and isinstance(part, str):
                found = found.children[part]
            elif isinstance(found, ArrayField) and isinstance(part, int):
                found = found.items[part]
            else:
                raise KeyError(path)
        return found
