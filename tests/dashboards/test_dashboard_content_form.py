"""Forms generated from content types' JSON Schemas: every built-in type, a bot's own type,
lists (add, remove, move), nested objects, text per language, errors next to their field."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import pytest

from workbench.content import TYPES, custom_type, make_element
from workbench.dashboards._content_form import (
    ContentForm,
    field_message,
    field_words,
    parse_path,
)
from workbench.dashboards._form_fields import (
    BoolField,
    EnumField,
    LocalizedField,
    NumberField,
    RawField,
    TextField,
)
from workbench.dashboards._form_groups import ArrayField, ChoiceField, ObjectField, VariationsField

EN_FR = ["en", "fr"]

FULL: dict[str, dict[str, Any]] = {
    "text": {"text": ["Hello!", {"en": "Hi {{ user.name }}", "fr": "Salut"}]},
    "choice": {
        "text": ["Which size?"],
        "choices": [
            {"title": "Small", "value": "small"},
            {"title": {"en": "Large", "fr": "Grande"}, "value": "large"},
        ],
    },
    "image": {"image": "https://example.com/a.png", "title": {"en": "A pizza", "fr": "Une pizza"}},
    "card": {
        "title": "Pizza of the week",
        "subtitle": {"en": "Ham", "fr": "Jambon"},
        "image": "https://example.com/p.png",
        "buttons": [{"title": "Order", "value": "order"}, {"title": "Menu", "url": "https://x.y"}],
    },
    "carousel": {
        "text": "Our pizzas",
        "cards": [
            {"title": "Margherita", "buttons": [{"title": "Pick", "value": "m"}]},
            {"title": {"en": "Devil", "fr": "Diable"}, "subtitle": "Spicy"},
        ],
    },
}


def canonical(kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    return make_element("x", {"type": kind, **fields}).fields


@pytest.mark.parametrize("kind", sorted(FULL))
def test_every_builtin_type_gives_back_what_it_was_given(kind: str) -> None:
    fields = canonical(kind, FULL[kind])
    form = ContentForm(TYPES[kind], EN_FR, fields)
    assert canonical(kind, form.value()) == fields
    assert form.value() == fields or kind == "choice"  # a choice's equal title/value: shorter


@pytest.mark.parametrize("kind", sorted(FULL))
def test_an_empty_form_of_every_builtin_type_has_its_fields_and_no_value(kind: str) -> None:
    form = ContentForm(TYPES[kind], EN_FR)
    properties = TYPES[kind].schema["properties"]
    assert list(form.root.children) == TYPES[kind].schema["x-ui"]["order"]
    assert set(form.root.children) == set(properties)
    assert form.value() == {}


def test_the_fields_of_each_type_are_the_right_editors_with_plain_labels() -> None:
    card = ContentForm(TYPES["card"], EN_FR, FULL["card"])
    kids = card.root.children
    assert isinstance(kids["title"], LocalizedField) and kids["title"].label == "Title"
    assert isinstance(kids["image"], TextField) and kids["image"].label == "Image address"
    assert kids["image"].input.placeholder == "https://…"
    buttons = kids["buttons"]
    assert isinstance(buttons, ArrayField) and buttons.item_label == "Button"
    assert isinstance(buttons.items[0], ObjectField)
    assert list(buttons.items[0].children) == ["title", "value", "url"]
    assert [c.label for c in buttons.items[0].children.values()] == ["Button", "Value sent", "Link"]
    text = ContentForm(TYPES["text"], EN_FR, FULL["text"]).root.children["text"]
    assert isinstance(text, VariationsField) and text.label == "Message"
    assert all(isinstance(i.inputs["en"], widgets.Textarea) for i in text.items)  # type: ignore[attr-defined]
    choice = ContentForm(TYPES["choice"], EN_FR, FULL["choice"]).root.children["choices"]
    assert isinstance(choice, ArrayField) and isinstance(choice.items[1], ChoiceField)
    assert "required" in choice.title.value or "*" in choice.title.value


def test_text_per_language_one_input_each_default_first_shape_kept() -> None:
    form = ContentForm(TYPES["text"], ["fr", "en"], {"text": ["Bonjour"]})
    field = form.field("text[0]")
    assert isinstance(field, LocalizedField)
    assert list(field.inputs) == ["fr", "en"]  # the bot's default language first
    assert field.inputs["fr"].value == "Bonjour" and field.inputs["en"].value == ""
    assert "Not translated yet" in field.inputs["en"].placeholder
    assert form.value() == {"text": ["Bonjour"]}  # a plain text stays plain
    field.inputs["en"].value = "Hello"
    assert form.value() == {"text": [{"fr": "Bonjour", "en": "Hello"}]}
    field.inputs["en"].value = "  "  # blank is not a translation
    assert form.value() == {"text": ["Bonjour"]}


def test_a_language_the_bot_does_not_list_is_kept() -> None:
    form = ContentForm(TYPES["text"], EN_FR, {"text": [{"en": "Hi", "de": "Hallo"}]})
    field = form.field("text[0]")
    assert isinstance(field, LocalizedField) and list(field.inputs) == ["en", "fr", "de"]
    assert form.value() == {"text": [{"en": "Hi", "de": "Hallo"}]}


def test_one_language_bot_shows_one_box_without_language_tags() -> None:
    form = ContentForm(TYPES["image"], ["en"], {"image": "a.png", "title": "Caption"})
    caption = form.root.children["title"]
    assert isinstance(caption, LocalizedField) and list(caption.inputs) == ["en"]
    html = " ".join(w.value for w in _all(caption.widget) if isinstance(w, widgets.HTML))
    assert ">en<" not in html


def test_choices_can_be_added_removed_and_moved() -> None:
    form = ContentForm(TYPES["choice"], EN_FR, FULL["choice"])
    changes: list[int] = []
    form.on_change(lambda: changes.append(1))
    choices = form.root.children["choices"]
    assert isinstance(choices, ArrayField)
    choices.append()
    third = form.field("choices[2]")
    assert isinstance(third, ChoiceField)
    title = third.children["title"]
    assert isinstance(title, LocalizedField)
    title.inputs["en"].value = "Medium"  # no value typed: the button's text is sent
    assert form.value()["choices"][2] == "Medium"
    choices.move(2, -1)
    assert [c if isinstance(c, str) else c["value"] for c in form.value()["choices"]] == [
        "small",
        "Medium",
        "large",
    ]
    choices.remove(0)
    assert len(form.value()["choices"]) == 2 and changes  # every change is announced
    rows = choices.rows.children
    assert len(rows) == 2 and all("wb-item" in r._dom_classes for r in rows)


def test_moving_with_the_buttons_of_a_row() -> None:
    form = ContentForm(TYPES["choice"], EN_FR, FULL["choice"])
    choices = form.root.children["choices"]
    assert isinstance(choices, ArrayField)
    header = choices.rows.children[1].children[0]
    up = next(b for b in header.children if isinstance(b, widgets.Button) and b.description == "↑")
    up.click()
    assert form.value()["choices"][0]["value"] == "large"
    remove = [b for b in _all(choices.rows.children[0]) if isinstance(b, widgets.Button)][-1]
    assert remove.description == "Remove"
    remove.click()
    assert form.value()["choices"] == [{"title": "Small", "value": "small"}]


def test_nested_objects_a_carousel_holds_cards_that_hold_buttons() -> None:
    form = ContentForm(TYPES["carousel"], EN_FR, FULL["carousel"])
    cards = form.root.children["cards"]
    assert isinstance(cards, ArrayField) and cards.item_label == "Card"
    first = form.field("cards[0]")
    assert isinstance(first, ObjectField) and list(first.children) == [
        "title",
        "subtitle",
        "image",
        "buttons",
    ]
    buttons = first.children["buttons"]
    assert isinstance(buttons, ArrayField)
    buttons.append()
    new = form.field("cards[0].buttons[1].url")
    assert isinstance(new, TextField)
    new.input.value = "https://example.com/menu"
    form.field("cards[0].buttons[1].title").inputs["en"].value = "Menu"  # type: ignore[attr-defined]
    value = form.value()
    assert value["cards"][0]["buttons"][1] == {
        "title": "Menu",
        "url": "https://example.com/menu",
    }
    make_element("x", {"type": "carousel", **value})  # valid


def test_variations_add_and_remove() -> None:
    form = ContentForm(TYPES["text"], ["en"], {"text": ["One"]})
    message = form.root.children["text"]
    assert isinstance(message, VariationsField)
    assert message.rows.children == (message.items[0].widget,)  # one text: no list around it
    message.append()
    message.items[1].inputs["en"].value = "Two"  # type: ignore[attr-defined]
    assert form.value() == {"text": ["One", "Two"]}
    assert len(message.rows.children) == 2
    message.append()  # an empty variation is left out
    assert form.value() == {"text": ["One", "Two"]}
    message.remove(0)
    assert form.value() == {"text": ["Two"]}


def test_a_bot_own_type_gets_its_form_the_same_way() -> None:
    schema = {
        "title": "Product",
        "required": ["name", "price"],
        "properties": {
            "name": {"$ref": "#/definitions/text_value", "x-ui": {"label": "Product name"}},
            "price": {"type": "number"},
            "stock": {"type": "integer"},
            "size": {"type": "string", "enum": ["small", "large"]},
            "vegan": {"type": "boolean"},
            "notes": {"type": "string", "x-ui": {"widget": "textarea", "help": "For staff"}},
            "shop": {
                "type": "object",
                "properties": {"city": {"type": "string"}, "open": {"type": "boolean"}},
            },
            "tags": {"type": "array", "items": {"type": "string"}},
            "extras": {"type": "array", "items": {"$ref": "#/definitions/button"}},
            "anything": {},
        },
        "x-ui": {"order": ["name", "price"]},
    }
    kind = custom_type("product", schema, None)
    fields = {
        "name": {"en": "Pizza", "fr": "Pizza"},
        "price": 9.5,
        "stock": 3,
        "size": "small",
        "vegan": True,
        "notes": "keep warm",
        "shop": {"city": "Lyon"},
        "tags": ["hot", "new"],
        "extras": [{"title": "Buy", "value": "buy"}],
        "anything": {"a": [1, 2]},
    }
    kind.check(fields)
    form = ContentForm(kind, EN_FR, fields)
    kids = form.root.children
    assert list(kids)[:2] == ["name", "price"]
    assert kids["name"].label == "Product name" and isinstance(kids["name"], LocalizedField)
    assert isinstance(kids["price"], NumberField) and isinstance(kids["stock"], NumberField)
    assert isinstance(kids["size"], EnumField) and isinstance(kids["vegan"], BoolField)
    assert isinstance(kids["notes"], TextField) and isinstance(
        kids["notes"].input, widgets.Textarea
    )
    assert isinstance(kids["shop"], ObjectField) and isinstance(kids["tags"], ArrayField)
    assert isinstance(kids["extras"], ArrayField) and isinstance(kids["anything"], RawField)
    assert form.value() == fields
    price = kids["price"]
    assert isinstance(price, NumberField)
    price.input.value = "twelve"
    with pytest.raises(Exception, match="price"):
        kind.check(form.value())
    price.input.value = "12"
    assert form.value()["price"] == 12
    assert ContentForm(kind, EN_FR).value() == {}


def test_errors_show_next_to_the_field_they_name() -> None:
    form = ContentForm(TYPES["carousel"], EN_FR, FULL["carousel"])
    form.value()
    form.show_error("cards[1].title.fr", "content element 'x': field 'cards[1].title.fr': bad")
    title = form.field("cards[1].title")
    assert isinstance(title, LocalizedField)
    assert "Bad" in title.errors["fr"].value and title.errors["en"].value == ""
    form.show_error("cards[0].buttons[0].value", "content element 'x': field 'c': is required")
    value = form.field("cards[0].buttons[0].value")
    assert "This field is required" in value.error.value
    form.show_error("colour", "content element 'x': field 'colour': unknown field (known: a)")
    assert "Unknown field" in form.general_error.value
    form.show_error("", "content element 'x': something else")
    assert "something else" in form.general_error.value
    form.clear_errors()
    assert title.errors["fr"].value == value.error.value == form.general_error.value == ""


def test_an_error_about_the_second_filled_item_goes_to_that_item() -> None:
    """Empty items are left out of the value: ``choices[1]`` is the second one filled in."""
    form = ContentForm(TYPES["choice"], EN_FR, FULL["choice"])
    choices = form.root.children["choices"]
    assert isinstance(choices, ArrayField)
    choices.append()
    choices.move(2, -1)  # an empty choice between the two
    choices.move(1, -1)  # now first
    form.value()
    form.show_error("choices[1].value", "field 'choices[1].value': must not be empty")
    second = choices.items[2]
    assert isinstance(second, ChoiceField)
    assert "must not be empty" in second.children["value"].error.value
    assert form.describe("choices[1].title.fr") == "Choices > Choice 3 > Button > French (fr)"
    assert form.describe("text[0]") == "Message"


def test_read_only_form_cannot_be_changed() -> None:
    form = ContentForm(TYPES["card"], EN_FR, FULL["card"], read_only=True)
    inputs = [w for w in _all(form.widget) if isinstance(w, widgets.Text | widgets.Textarea)]
    assert inputs and all(w.disabled for w in inputs)
    buttons = form.root.children["buttons"]
    assert isinstance(buttons, ArrayField) and buttons.add.layout.display == "none"
    assert not [
        w for w in _all(form.widget) if isinstance(w, widgets.Button) and w.layout.display != "none"
    ]


def test_paths_and_messages() -> None:
    assert parse_path("choices[0].title.fr") == ["choices", 0, "title", "fr"]
    message = "content element 'ask': field 'choices[0].value': is required"
    assert field_message(message) == "This field is required"
    assert field_message("field 'a' bad template '{{': x") == "Bad template '{{': x"


@pytest.mark.parametrize(
    ("kind", "path", "words"),
    [
        ("choice", "choices[1].title.fr", "Choice 2 > Button > French (fr)"),
        ("choice", "text[0]", "Message"),
        ("text", "text[1].fr", "Message, variation 2 > French (fr)"),
        ("carousel", "cards[0].buttons[0].title", "Card 1 > Button 1 > Button"),
        ("carousel", "text", "Introduction"),
        ("image", "title", "Caption"),
    ],
)
def test_fields_in_the_words_of_the_form(kind: str, path: str, words: str) -> None:
    assert field_words(TYPES[kind], canonical(kind, FULL[kind]), path) == words


def _all(widget: widgets.Widget) -> list[widgets.Widget]:
    found = [widget]
    for child in getattr(widget, "children", ()):
        found += _all(child)
    return found
