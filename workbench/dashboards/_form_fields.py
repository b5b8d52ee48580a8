"""The fields of a content form: one editor per value of an element, built from its schema.

A field edits one value and gives it back with :meth:`Field.value` (None when left empty, so
an empty optional field is left out of the element). It shows an error next to itself when a
:class:`~workbench.schema.ContentError` names its path (:meth:`Field.show_error`, given the
path below the field). This module holds the base and the one-value fields (text, text per
language, number, yes/no, pick-one, and the last resort: the value written as YAML); groups of
fields (objects, lists, choices) are in :mod:`._form_groups`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from html import escape
from typing import Any

import ipywidgets as widgets
import yaml

__all__ = [
    "BoolField",
    "EnumField",
    "Field",
    "FormContext",
    "LocalizedField",
    "NumberField",
    "Path",
    "RawField",
    "TextField",
    "error_html",
    "humanize",
    "label_html",
]

Path = list[str | int]
Build = Callable[["FormContext", Mapping[str, Any], Any, str, bool], "Field"]
"""``build(ctx, schema, value, name, required)``: the field for a value (see _content_form)."""

LANGUAGE_NAMES = {
    "en": "English",
    "fr": "French",
    "de": "German",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "pl": "Polish",
    "sv": "Swedish",
    "ja": "Japanese",
    "zh": "Chinese",
    "ar": "Arabic",
}


def language_name(code: str) -> str:
    """``fr`` -> ``French (fr)``; an unknown code stays as it is."""
    name = LANGUAGE_NAMES.get(code.split("-", maxsplit=1)[0])
    return f"{name} ({code})" if name else code


@dataclass
class FormContext:
    """What every field of one form shares: the type's schema (for ``$ref``), the bot's
    languages (its default first), how to build a field for a schema, and who listens to
    changes."""

    root: Mapping[str, Any]
    languages: list[str]
    build: Build
    listeners: list[Callable[[], None]] = field(default_factory=list)
    guard: Callable[[Callable[[], None]], Callable[[], None]] = lambda action: action
    """Wraps what the form's own buttons do (add, move, remove), so that a failure is shown
    as a sentence by whoever shows the form (see ``_ui.guarded``)."""

    def changed(self) -> None:
        for listener in list(self.listeners):
            listener()

    def on_click(self, button: widgets.Button, action: Callable[[], None]) -> None:
        guarded = self.guard(action)
        button.on_click(lambda _b: guarded())

    def watch(self, widget: widgets.Widget) -> None:
        widget.observe(lambda _change: self.changed(), names="value")


def humanize(name: str) -> str:
    """``support_email`` -> ``Support email``: a property name in plain words."""
    words = re.sub(r"[_\-]+", " ", name).strip()
    return words[:1].upper() + words[1:] if words else name


def label_html(label: str, help: str = "", required: bool = False) -> str:
    star = " <span style='color:#c62828' title='required'>*</span>" if required else ""
    tip = f"<div style='color:#607d8b;font-size:12px'>{escape(help)}</div>" if help else ""
    return f"<div style='font-weight:600;margin-top:6px'>{escape(label)}{star}</div>{tip}"


def error_html(message: str) -> str:
    return (
        "<div class='wb-field-error' style='color:#b71c1c;background:#ffebee;"
        "border-left:3px solid #e53935;padding:2px 8px;margin:2px 0;font-size:13px'>"
        f"⚠ {escape(message)}</div>"
    )


class Field:
    """One editor of a value (see the module docstring)."""

    def __init__(self, ctx: FormContext, label: str, help: str = "", required: bool = False):
        self.ctx = ctx
        self.label = label
        self.help = help
        self.required = required
        self.title = widgets.HTML(label_html(label, help, required))
        self.error = widgets.HTML("")
        self.widget: widgets.Box = widgets.VBox([], layout=widgets.Layout(width="100%"))
        self.widget.add_class("wb-field")

    def value(self) -> Any:
        """The value as typed, None when empty."""
        raise NotImplementedError

    def show_error(self, path: Path, message: str) -> bool:
        """Show ``message`` at ``path`` (below this field); True once shown."""
        self.error.value = error_html(message)
        return True

    def clear_errors(self) -> None:
        self.error.value = ""

    def set_disabled(self, disabled: bool) -> None:
        raise NotImplementedError

    def hide_title(self) -> None:
        """Inside a list the row's header names the item: the field's own title goes."""
        self.widget.children = tuple(c for c in self.widget.children if c is not self.title)


def _text_input(kind: str, value: str, placeholder: str = "") -> widgets.Text | widgets.Textarea:
    layout = widgets.Layout(width="100%")
    if kind == "textarea":
        rows = max(2, min(8, value.count("\n") + 1 + len(value) // 45))  # ~45 a line
        return widgets.Textarea(value=value, placeholder=placeholder, rows=rows, layout=layout)
    if kind == "url" and not placeholder:
        placeholder = "https://…"
    return widgets.Text(value=value, placeholder=placeholder, layout=layout)


class TextField(Field):
    """One text (``x-ui.widget``: ``text``, ``textarea`` or ``url``)."""

    def __init__(
        self, ctx: FormContext, label: str, value: Any, *, kind: str = "text", **hints: Any
    ) -> None:
        super().__init__(ctx, label, **hints)
        shown = "" if value is None else value if isinstance(value, str) else str(value)
        self.input = _text_input(kind, shown)
        ctx.watch(self.input)
        self.widget.children = [self.title, self.input, self.error]

    def value(self) -> Any:
        text = str(self.input.value)
        return text if text.strip() else None

    def set_disabled(self, disabled: bool) -> None:
        self.input.disabled = disabled


class LocalizedField(Field):
    """A text a user reads, in every language of the bot: one input each, the default first.

    The value keeps the shape it had: a plain text (which serves every language) stays plain
    while only the default language is filled in; one text per language (``{en: .., fr: ..}``)
    is written as soon as another language is, or when it was one already.
    """

    def __init__(
        self, ctx: FormContext, label: str, value: Any, *, kind: str = "text", **hints: Any
    ) -> None:
        super().__init__(ctx, label, **hints)
        self.per_language = isinstance(value, dict)
        default = ctx.languages[0]
        texts: dict[str, Any] = {}
        if isinstance(value, dict):
            texts = dict(value)
        elif isinstance(value, str | int | float):
            texts = {default: str(value)}
        self.languages = ctx.languages + [lang for lang in texts if lang not in ctx.languages]
        self.inputs: dict[str, widgets.Text | widgets.Textarea] = {}
        self.errors: dict[str, widgets.HTML] = {}
        rows: list[widgets.Widget] = []
        for lang in self.languages:
            hint = "" if lang == default else f"Not translated yet: the bot says the {default} text"
            box = _text_input(kind, str(texts.get(lang, "")), hint)
            ctx.watch(box)
            self.inputs[lang] = box
            self.errors[lang] = widgets.HTML("")
            rows.append(self._row(lang, box))
        self.widget.children = [self.title, *rows, self.error]

    def _row(self, lang: str, box: widgets.Widget) -> widgets.Widget:
        if len(self.languages) == 1:
            row = widgets.VBox([box, self.errors[lang]], layout=widgets.Layout(width="100%"))
        else:
            badge = widgets.HTML(
                f"<span title='{escape(language_name(lang), quote=True)}' style='display:"
                "inline-block;min-width:34px;text-align:center;background:#eceff1;"
                f"border-radius:4px;padding:1px 4px;font-size:12px'>{escape(lang)}</span>",
                layout=widgets.Layout(width="44px", flex="0 0 44px"),
            )
            line = widgets.HBox([badge, box], layout=widgets.Layout(width="100%"))
            row = widgets.VBox([line, self.errors[lang]], layout=widgets.Layout(width="100%"))
        row.add_class(f"wb-lang-{lang}")
        return row

    def value(self) -> Any:
        filled = {
            lang: str(box.value) for lang, box in self.inputs.items() if str(box.value).strip()
        }
        if not filled:
            return None
        default = self.ctx.languages[0]
        if not self.per_language and set(filled) == {default}:
            return filled[default]
        return filled

    def text_in(self, language: str) -> str:
        return str(self.inputs[language].value) if language in self.inputs else ""

    def show_error(self, path: Path, message: str) -> bool:
        if path and path[0] in self.errors:
            self.errors[str(path[0])].value = error_html(message)
            return True
        return super().show_error(path, message)

    def clear_errors(self) -> None:
        super().clear_errors()
        for box in self.errors.values():
            box.value = ""

    def set_disabled(self, disabled: bool) -> None:
        for box in self.inputs.values():
            box.disabled = disabled


class NumberField(Field):
    """A number, typed as text (an empty optional number is left out; what is not a number is
    kept as typed, so the check says which field is wrong)."""

    def __init__(
        self, ctx: FormContext, label: str, value: Any, *, integer: bool = False, **hints: Any
    ) -> None:
        super().__init__(ctx, label, **hints)
        self.integer = integer
        self.input = widgets.Text(
            value="" if value is None else str(value), layout=widgets.Layout(width="160px")
        )
        ctx.watch(self.input)
        self.widget.children = [self.title, self.input, self.error]

    def value(self) -> Any:
        text = str(self.input.value).strip()
        if not text:
            return None
        try:
            number = float(text)
        except ValueError:
            return text
        return int(number) if (self.integer or "." not in text) and number.is_integer() else number

    def set_disabled(self, disabled: bool) -> None:
        self.input.disabled = disabled


class BoolField(Field):
    """Yes or no; left out while unticked unless the element had it."""

    def __init__(self, ctx: FormContext, label: str, value: Any, **hints: Any) -> None:
        super().__init__(ctx, label, **hints)
        self.had = value is not None
        self.input = widgets.Checkbox(value=bool(value), description=label, indent=False)
        ctx.watch(self.input)
        self.widget.children = [self.input, self.error]

    def value(self) -> Any:
        return True if self.input.value else (False if self.had else None)

    def set_disabled(self, disabled: bool) -> None:
        self.input.disabled = disabled


class EnumField(Field):
    """One of a fixed list of values."""

    def __init__(
        self, ctx: FormContext, label: str, value: Any, options: list[Any], **hints: Any
    ) -> None:
        super().__init__(ctx, label, **hints)
        choices: list[tuple[str, Any]] = [("—", None)] + [(str(o), o) for o in options]
        if value is not None and value not in options:
            choices.append((str(value), value))
        self.input = widgets.Dropdown(options=choices, value=value)
        ctx.watch(self.input)
        self.widget.children = [self.title, self.input, self.error]

    def value(self) -> Any:
        return self.input.value

    def set_disabled(self, disabled: bool) -> None:
        self.input.disabled = disabled


class RawField(Field):
    """A value the form has no better editor for, written as YAML (kept whole, never lost)."""

    def __init__(self, ctx: FormContext, label: str, value: Any, **hints: Any) -> None:
        super().__init__(ctx, label, **hints)
        text = "" if value is None else yaml.safe_dump(value, allow_unicode=True, sort_keys=False)
        self.input = _text_input("textarea", text.strip())
        ctx.watch(self.input)
        self.widget.children = [self.title, self.input, self.error]

    def value(self) -> Any:
        text = str(self.input.value)
        if not text.strip():
            return None
        try:
            return yaml.safe_load(text)
        except yaml.YAMLError:
            return text  # the check then says what this field must be

    def set_disabled(self, disabled: bool) -> None:
        self.input.disabled = disabled
