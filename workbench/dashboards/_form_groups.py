"""Groups of fields in a content form: an object's fields (a card, a button), a list of items
that can be added, removed and moved (choices, buttons, cards), the variations of a message, and
a choice (a button and the value it sends).

A list leaves its empty items out of its value, and remembers which item each value came from,
so an error about ``choices[1]`` shows at the item the person sees as the second one filled in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets

from workbench.dashboards._form_fields import Field, FormContext, LocalizedField, Path, TextField
from workbench.dashboards._ui import button

__all__ = ["ArrayField", "ChoiceField", "ObjectField", "VariationsField", "singular"]


def singular(label: str) -> str:
    """``Choices`` -> ``Choice``: what one item of a list is called."""
    if label.endswith("ies"):
        return label[:-3] + "y"
    if label.endswith("s") and not label.endswith("ss"):
        return label[:-1]
    return label


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


class ObjectField(Field):
    """The fields of an object, in the schema's ``x-ui.order`` (then the others). Keys the
    schema does not name are kept as they were (a bot's own type may allow them)."""

    def __init__(
        self,
        ctx: FormContext,
        label: str,
        schema: Mapping[str, Any],
        value: Any,
        **hints: Any,
    ) -> None:
        super().__init__(ctx, label, **hints)
        data: dict[str, Any] = dict(value) if isinstance(value, Mapping) else {}
        properties: Mapping[str, Any] = schema.get("properties") or {}
        required = set(schema.get("required") or ())
        order = [n for n in (schema.get("x-ui") or {}).get("order", ()) if n in properties]
        order += [n for n in properties if n not in order]
        self.children: dict[str, Field] = {
            name: ctx.build(ctx, properties[name], data.get(name), name, name in required)
            for name in order
        }
        for name, child in self.children.items():
            child.widget.add_class(f"wb-key-{name}")
        self.extra = {k: v for k, v in data.items() if k not in properties}
        inner = widgets.VBox(
            [c.widget for c in self.children.values()], layout=widgets.Layout(width="100%")
        )
        self.widget.children = [self.title, inner, self.error]

    def value(self) -> Any:
        out = dict(self.extra)
        for name, child in self.children.items():
            found = child.value()
            if found is not None:
                out[name] = found
        return out or None

    def show_error(self, path: Path, message: str) -> bool:
        if path and path[0] in self.children:
            return self.children[str(path[0])].show_error(path[1:], message)
        return super().show_error(path, message)

    def clear_errors(self) -> None:
        super().clear_errors()
        for child in self.children.values():
            child.clear_errors()

    def set_disabled(self, disabled: bool) -> None:
        for child in self.children.values():
            child.set_disabled(disabled)


class ChoiceField(ObjectField):
    """A choice: the button's text (in every language) and the value it sends, which is the
    button's text when left empty; written back as plain text when both are the same."""

    def __init__(
        self, ctx: FormContext, label: str, schema: Mapping[str, Any], value: Any, **hints: Any
    ) -> None:
        if isinstance(value, str | int | float):
            value = {"title": str(value), "value": str(value)}
        super().__init__(ctx, label, schema, value, **hints)
        sent = self.children.get("value")
        if isinstance(sent, TextField):
            sent.input.placeholder = "Same as the button"

    def value(self) -> Any:
        data = super().value()
        if data is None:
            return None
        title, sent = data.get("title"), data.get("value")
        if title is None or set(data) - {"title", "value"}:
            return data  # incomplete or unusual: the check says what is missing
        if sent is None:
            if isinstance(title, str):
                return title
            sent = title.get(self.ctx.languages[0]) or next(iter(title.values()))
            return {"title": title, "value": sent}
        return title if isinstance(title, str) and title == sent else data


class ArrayField(Field):
    """A list of items, each with "move up", "move down" and "remove", and an "add" button."""

    def __init__(
        self,
        ctx: FormContext,
        label: str,
        items: Mapping[str, Any],
        value: Any,
        *,
        item_label: str = "",
        **hints: Any,
    ) -> None:
        super().__init__(ctx, label, **hints)
        self.items_schema = items
        self.item_label = item_label or singular(label)
        self.items: list[Field] = [self._make(v) for v in (value or [])]
        self.disabled = False
        self.positions: list[int] = list(range(len(self.items)))
        """The item of each value of the last :meth:`value` (empty items are left out)."""
        self.rows = widgets.VBox([], layout=widgets.Layout(width="100%"))
        word = self.item_label.lower()
        self.add = button(f"+ Add {_article(word)} {word}", tooltip=f"Add {word}")
        self.add.add_class("wb-add")
        ctx.on_click(self.add, self.append)
        self.widget.children = [self.title, self.rows, self.add, self.error]
        self._layout()

    def _make(self, value: Any) -> Field:
        item = self.ctx.build(self.ctx, self.items_schema, value, self.item_label, False)
        item.hide_title()
        return item

    def append(self, value: Any = None) -> None:
        self.items.append(self._make(value))
        self._changed()

    def remove(self, index: int) -> None:
        del self.items[index]
        self._changed()

    def move(self, index: int, by: int) -> None:
        other = index + by
        if 0 <= other < len(self.items):
            self.items[index], self.items[other] = self.items[other], self.items[index]
            self._changed()

    def _changed(self) -> None:
        self._layout()
        self.ctx.changed()

    def _layout(self) -> None:
        self.rows.children = [self._row(i, item) for i, item in enumerate(self.items)]
        self.add.layout.display = "none" if self.disabled else ""

    def _header(self, index: int) -> list[widgets.Widget]:
        name = widgets.HTML(
            f"<b>{self.item_label} {index + 1}</b>", layout=widgets.Layout(flex="1 1 auto")
        )
        if self.disabled:
            return [name]
        up = button("↑", tooltip="Move up")
        down = button("↓", tooltip="Move down")
        remove = button("Remove", tooltip=f"Remove this {self.item_label.lower()}")
        up.disabled, down.disabled = index == 0, index == len(self.items) - 1
        self.ctx.on_click(up, lambda: self.move(index, -1))
        self.ctx.on_click(down, lambda: self.move(index, +1))
        self.ctx.on_click(remove, lambda: self.remove(index))
        remove.add_class("wb-remove")
        return [name, up, down, remove]

    def _row(self, index: int, item: Field) -> widgets.Widget:
        header = widgets.HBox(self._header(index), layout=widgets.Layout(align_items="center"))
        row = widgets.VBox(
            [header, item.widget],
            layout=widgets.Layout(
                border="1px solid #cfd8dc", padding="4px 8px", margin="4px 0", width="100%"
            ),
        )
        row.add_class("wb-item")
        return row

    def value(self) -> Any:
        out: list[Any] = []
        self.positions = []
        for index, item in enumerate(self.items):
            found = item.value()
            if found is not None:
                out.append(found)
                self.positions.append(index)
        return out or None

    def show_error(self, path: Path, message: str) -> bool:
        if path and isinstance(path[0], int) and path[0] < len(self.positions):
            return self.items[self.positions[path[0]]].show_error(path[1:], message)
        return super().show_error(path, message)

    def clear_errors(self) -> None:
        super().clear_errors()
        for item in self.items:
            item.clear_errors()

    def set_disabled(self, disabled: bool) -> None:
        self.disabled = disabled
        for item in self.items:
            item.set_disabled(disabled)
        self._layout()


class VariationsField(ArrayField):
    """What the bot says: one text, or several variations of which one is picked at random.
    A lone variation shows as one text box (no list around it)."""

    def __init__(
        self, ctx: FormContext, label: str, value: Any, *, kind: str = "textarea", **hints: Any
    ) -> None:
        self.kind = kind
        values = value if isinstance(value, list) else ([] if value is None else [value])
        super().__init__(ctx, label, {}, values or [None], item_label="Variation", **hints)

    def _make(self, value: Any) -> Field:
        item = LocalizedField(self.ctx, self.item_label, value, kind=self.kind)
        item.hide_title()
        return item

    def _row(self, index: int, item: Field) -> widgets.Widget:
        if len(self.items) == 1:
            return item.widget
        return super()._row(index, item)
