"""Content types as JSON Schema: the built-ins, a bot's own types with their renderers, text in
several languages, carousels, and errors that name the file, line, element and field."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import workbench as wb
from workbench.content import TYPES, for_channel, make_element
from workbench.schema import TEXT, Choice, ContentError

NAMES = {"state": {"size": "large"}, "user": {}, "bot": {}}


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return folder


MAIN = """
    start: ask
    nodes:
      ask:
        on_enter: [{say: hello}, {say: menu}]
        on_receive: []
        next: [{to: ask}]
"""


def test_every_builtin_type_has_a_schema_with_form_hints() -> None:
    assert set(TYPES) == {"text", "choice", "image", "card", "carousel"}
    for kind in TYPES.values():
        schema = kind.schema
        assert schema["type"] == "object" and schema["x-ui"]["order"]
        assert set(schema["x-ui"]["order"]) <= set(schema["properties"])


@pytest.mark.parametrize(
    ("data", "field", "reason"),
    [
        ({"type": "choice", "text": "x"}, "choices", "is required"),
        (
            {"type": "choice", "text": "x", "choices": [{"title": "A"}]},
            "choices[0].value",
            "required",
        ),
        ({"text": {"EN": "x"}}, "text", "language codes"),
        ({"type": "card", "title": "T", "buttons": [{"title": 3}]}, "buttons[0].title", "a text"),
        ({"type": "carousel", "cards": []}, "cards", "must not be empty"),
        ({"text": "x", "colour": "red"}, "colour", "unknown field"),
    ],
)
def test_a_bad_field_is_named_in_plain_words(
    data: dict[str, object], field: str, reason: str
) -> None:
    with pytest.raises(ContentError) as info:
        make_element("e", data)
    assert info.value.element == "e" and info.value.field == field
    assert f"content element 'e': field {field!r}" in str(info.value)
    assert reason in str(info.value)


def test_text_in_several_languages_falls_back_to_the_default_language() -> None:
    element = make_element(
        "hello",
        {
            "type": "choice",
            "text": {"en": "Size?", "fr": "Taille ?"},
            "choices": [
                {"title": {"en": "Large", "fr": "Grande"}, "value": "large"},
                {"title": "XL", "value": "xl"},
            ],
        },
    )
    french = element.render(NAMES, language="fr", default_language="en")
    assert french.text == "Taille ?"
    assert french.choices == (Choice("Grande", "large"), Choice("XL", "xl"))
    german = element.render(NAMES, language="de", default_language="en")
    assert german.text == "Size?" and german.choices[0].title == "Large"
    texts = dict(element.texts())
    assert list(texts) == ["text[0]", "choices[0].title", "choices[1].title"]
    assert texts["text[0]"].missing(["en", "fr", "de"]) == ["de"]
    assert texts["choices[1].title"].missing(["en", "fr"]) == ["fr"]  # a plain text is English


def test_a_carousel_shows_its_cards_or_writes_them_out() -> None:
    carousel = make_element(
        "menu",
        {
            "type": "carousel",
            "text": "Our pizzas",
            "cards": [
                {"title": "Margherita", "buttons": [{"title": "Order", "value": "m"}]},
                {"title": "{{ state.size | title }} Diavola", "image": "/d.png"},
            ],
        },
    ).render(NAMES)
    assert carousel.type == "carousel" and carousel.text == "Our pizzas"
    assert [card["title"] for card in carousel.extra["cards"]] == ["Margherita", "Large Diavola"]
    assert carousel.choices == (Choice("Order", "m"),)
    assert for_channel(carousel, TEXT).text == (
        "Our pizzas\nMargherita\n\nLarge Diavola\n[image: /d.png]\n  1. Order"
    )


def test_a_bots_own_type_with_its_renderer(tmp_path: Path) -> None:
    folder = write(
        tmp_path,
        {
            "bot.yml": "name: shop\nlanguages: [en, fr]\n",
            "flows/main.flow.yml": MAIN,
            "content/types/product.yml": """
                title: Product
                required: [name, price]
                additionalProperties: false
                properties:
                  name: {$ref: "#/definitions/text_value"}
                  price: {type: number}
            """,
            "content/messages.yml": """
                hello: {text: {en: Hello, fr: Bonjour}}
                menu:
                  type: product
                  name: {en: "{{ state.size or 'small' }} pizza", fr: pizza}
                  price: 9.5
            """,
            "actions.py": """
                from workbench import renderer

                @renderer("product")
                def product(fields, language):
                    return {"type": "choice", "text": f"{fields['name']}: {fields['price']}",
                            "choices": [{"title": "Buy", "value": "buy"}]}
            """,
        },
    )
    bot = wb.Bot.load(folder, db="memory://")
    english = bot.conversation("u1").say("hi")
    assert [r.text for r in english] == ["Hello", "small pizza: 9.5"]
    assert english[1].type == "choice" and english[1].element == "menu"
    french = bot.conversation("u2", language="fr", channel="text").say("hi")
    assert [r.text for r in french] == ["Bonjour", "pizza: 9.5\n  1. Buy"]


def test_a_type_without_renderer_and_bad_type_files(tmp_path: Path) -> None:
    folder = write(
        tmp_path,
        {
            "bot.yml": "name: shop\n",
            "flows/main.flow.yml": MAIN,
            "content/types/product.yml": "required: [name]\nproperties: {name: {type: string}}\n",
            "content/types/text.yml": "properties: {}\n",
            "content/messages.yml": "hello: Hi\nmenu: {type: product, name: 42}\n",
            "actions.py": """
                from workbench import renderer

                @renderer("gadget")
                def gadget(fields, language):
                    return {}
            """,
        },
    )
    with pytest.raises(wb.BotError) as info:
        wb.Bot.load(folder, db="memory://")
    problems = [str(p) for p in info.value.problems]
    assert any("types/text.yml:1:" in p and "is built in" in p for p in problems)
    assert any("actions.py:1:" in p and "no content type 'gadget'" in p for p in problems)
    assert any(
        "messages.yml:2:" in p and "'menu'" in p and "field 'name': must be text" in p
        for p in problems
    )
    (folder / "content/types/text.yml").unlink()
    (folder / "actions.py").unlink()
    (folder / "content/messages.yml").write_text("hello: Hi\nmenu: {type: product, name: Pizza}\n")
    replies = wb.Bot.load(folder, db="memory://").conversation("u").say("hi")
    # without a renderer: its own type, its text or title field as text, the rest alongside
    assert [(r.type, r.text) for r in replies] == [("text", "Hi"), ("product", "")]
    assert replies[1].extra == {"name": "Pizza"}
