"""Content elements render into the one reply shape, with their templates filled in."""

from __future__ import annotations

import random

import pytest

from workbench.content import for_channel, make_element
from workbench.schema import TEXT, WEB, Channel, Choice, ContentError

NAMES = {"state": {"size": "large", "price": 12}, "user": {"name": "Ada"}, "bot": {}}


def test_text_with_variations_picks_each_one() -> None:
    element = make_element("hello", {"text": ["Hi {{ user.name }}!", "Hello {{ user.name }}!"]})
    seen = {element.render(NAMES, random.Random(seed)).text for seed in range(20)}
    assert seen == {"Hi Ada!", "Hello Ada!"}


def test_a_bare_text_and_unset_values() -> None:
    reply = make_element("t", {"text": "Hi {{ user.first_name }}!"}).render(NAMES)
    assert (reply.type, reply.text, reply.choices, reply.element) == ("text", "Hi !", (), "t")
    assert reply.to_json() == {"type": "text", "text": "Hi !", "choices": []}


def test_choice_takes_strings_or_title_value_pairs() -> None:
    element = make_element(
        "ask",
        {"type": "choice", "text": "Size?", "choices": ["Small", {"title": "Big", "value": "l"}]},
    )
    reply = element.render(NAMES)
    assert reply.choices == (Choice("Small", "Small"), Choice("Big", "l"))
    assert reply.to_json()["choices"] == [
        {"title": "Small", "value": "Small"},
        {"title": "Big", "value": "l"},
    ]


def test_image_and_card_fields() -> None:
    image = make_element(
        "pic",
        {"type": "image", "image": "/img/{{ state.size }}.png", "title": "Your {{ state.size }}"},
    ).render(NAMES)
    assert image.to_json() == {
        "type": "image",
        "text": "Your large",
        "choices": [],
        "image": "/img/large.png",
        "title": "Your large",
    }
    card = make_element(
        "c",
        {
            "type": "card",
            "title": "{{ state.size | title }} pizza",
            "subtitle": "${{ state.price }}",
            "buttons": [
                {"title": "Order", "value": "order"},
                {"title": "Menu", "url": "https://x"},
            ],
        },
    ).render(NAMES)
    assert card.text == "Large pizza"
    assert card.choices == (Choice("Order", "order"),)
    assert card.to_json()["buttons"] == [
        {"title": "Order", "value": "order"},
        {"title": "Menu", "url": "https://x"},
    ]
    assert card.subtitle == "$12"


def test_plain_text_channels_number_the_choices() -> None:
    element = make_element("ask", {"type": "choice", "text": "Size?", "choices": ["S", "L"]})
    shaped = for_channel(element.render(NAMES), TEXT)
    assert (shaped.type, shaped.text, shaped.choices) == ("text", "Size?\n  1. S\n  2. L", ())
    assert shaped.element == "ask"
    image = make_element("p", {"type": "image", "image": "/a.png", "title": "A"})
    assert for_channel(image.render(NAMES), TEXT).text == "A\n[image: /a.png]"


def test_a_card_on_plain_text_is_title_text_and_links() -> None:
    card = make_element(
        "c",
        {
            "type": "card",
            "title": "Large pizza",
            "subtitle": "Fresh from the oven",
            "image": "/large.png",
            "buttons": [
                {"title": "Order", "value": "order"},
                {"title": "Menu", "url": "https://x"},
            ],
        },
    ).render(NAMES)
    shaped = for_channel(card, TEXT)
    assert shaped.to_json() == {
        "type": "text",
        "text": "\n".join(
            ["Large pizza", "Fresh from the oven", "[image: /large.png]", "Menu: https://x"]
        )
        + "\n  1. Order",
        "choices": [],
    }


def test_the_web_channel_shows_replies_whole() -> None:
    for data in (
        {"type": "choice", "text": "Size?", "choices": ["S", "L"]},
        {"type": "image", "image": "/a.png"},
        {"type": "card", "title": "T", "buttons": [{"title": "Go", "value": "go"}]},
    ):
        reply = make_element("e", data).render(NAMES)
        assert for_channel(reply, WEB) is reply


def test_a_channel_with_buttons_but_no_cards_keeps_the_buttons() -> None:
    buttons_only = Channel("sms-plus", quick_replies=True)
    card = make_element(
        "c", {"type": "card", "title": "T", "buttons": [{"title": "Go", "value": "go"}]}
    ).render(NAMES)
    shaped = for_channel(card, buttons_only)
    assert (shaped.type, shaped.text, shaped.choices) == ("text", "T", (Choice("Go", "go"),))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"type": "gif"}, "unknown type 'gif'"),
        ({"text": []}, "field 'text'"),
        ({"type": "choice", "text": "x"}, "field 'choices'"),
        ({"text": "x", "colour": "red"}, "field 'colour': unknown field"),
        ({"text": "{{ oops"}, "bad template"),
    ],
)
def test_invalid_elements_name_element_and_field(data: dict[str, object], message: str) -> None:
    with pytest.raises(ContentError, match="content element 'e'") as info:
        make_element("e", data)
    assert message in str(info.value)
