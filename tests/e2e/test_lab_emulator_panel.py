"""The bot emulator panel of the JupyterLab extension in a real JupyterLab: chat, quick replies,
cards and images, the trace, languages and users, and the flow graph following the turns."""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.e2e.conftest import SCREENSHOTS, Lab
from tests.e2e.lab_kit import GRAPH, graph_classes, node_point, open_flow, pizza_copy

pytestmark = pytest.mark.browser


def test_chatting_in_the_emulator_shows_replies_and_highlights_the_current_node(
    lab: Lab, browser: Any
) -> None:
    bot = pizza_copy(lab, "chat")
    page = open_flow(browser, lab, bot)
    page.click(".jp-SideBar.jp-mod-right [title='Bot emulator']")
    page.wait_for_selector(f".jp-WorkbenchEmu-bot option[value='{bot}']", state="attached")
    page.select_option(".jp-WorkbenchEmu-bot", bot)
    page.fill(".jp-WorkbenchEmu-input", "hi")
    page.press(".jp-WorkbenchEmu-input", "Enter")
    page.wait_for_selector(".jp-WorkbenchEmu-bot-msg >> text=What size would you like?")
    page.wait_for_selector(f"{GRAPH}[data-current='main.ask_size']")
    assert "current" in graph_classes(page, "main.ask_size")
    assert "path" in graph_classes(page, "main.welcome")
    # a quick reply is a button; the trace of the turn is shown under the replies
    page.click(".jp-WorkbenchEmu-choice >> text=Large")
    page.wait_for_selector(f"{GRAPH}[data-current='main.ask_toppings']")
    traces = page.locator(".jp-WorkbenchEmu-trace")
    assert traces.count() == 2
    assert "main.ask_size → main.ask_toppings" in traces.nth(1).inner_text()
    if os.environ.get("WORKBENCH_SCREENSHOTS") == "1":
        save_screenshots(page)
    page.close()


def save_screenshots(page: Any) -> None:
    """docs/img/flow-editor.png (the editor, a node selected) and emulator-panel.png."""
    page.locator(".jp-WorkbenchEmu-trace").nth(1).locator("summary").click()
    page.click(".jp-Toolbar-item >> text=Fit")
    page.mouse.click(*node_point(page, "main.ask_toppings"))
    page.wait_for_selector(".jp-WorkbenchForm-header >> text=ask_toppings")
    editor = page.locator(".jp-WorkbenchFlowEditor").bounding_box()
    page.screenshot(path=str(SCREENSHOTS / "flow-editor.png"), clip=editor)
    panel = page.locator(".jp-WorkbenchEmu").bounding_box()
    page.screenshot(path=str(SCREENSHOTS / "emulator-panel.png"), clip=panel)


PIXEL = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQ"
    "DwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
SHOP = {
    "bot.yml": "name: shop\nlanguages: [en]\n",
    "flows/main.flow.yml": """start: show
nodes:
  show:
    on_enter: [{say: picture}, {say: offer}, {say: range}]
    on_receive: []
    next:
      - when: text == "buy"
        to: bought
      - to: show
  bought:
    on_enter: [{say: {text: "Sold!"}}]
    next: [{to: END}]
""",
    "content/shop.yml": f"""picture: {{type: image, image: "{PIXEL}", title: A pixel}}
offer:
  type: card
  title: The pixel
  subtitle: One of a kind
  image: "{PIXEL}"
  buttons: [{{title: Buy it, value: buy}}, {{title: Read more, url: "https://example.org/"}}]
range:
  type: carousel
  text: Or one of these
  cards: [{{title: Red pixel}}, {{title: Blue pixel}}]
""",
}


def test_the_emulator_draws_images_cards_and_carousels(lab: Lab, browser: Any) -> None:
    for relative, text in SHOP.items():
        (lab.root / "shops" / "shop" / relative).parent.mkdir(parents=True, exist_ok=True)
        (lab.root / "shops" / "shop" / relative).write_text(text)
    page = open_flow(browser, lab, "shops/shop")
    page.click(".jp-SideBar.jp-mod-right [title='Bot emulator']")
    page.click(".jp-WorkbenchEmu-refresh")
    page.wait_for_selector(".jp-WorkbenchEmu-bot option[value='shops/shop']", state="attached")
    page.select_option(".jp-WorkbenchEmu-bot", "shops/shop")
    page.fill(".jp-WorkbenchEmu-input", "hello")
    page.press(".jp-WorkbenchEmu-input", "Enter")
    page.wait_for_selector(".jp-WorkbenchEmu-card >> text=The pixel")
    assert page.locator(".jp-WorkbenchEmu-image").count() == 1
    card = page.locator(".jp-WorkbenchEmu-card").first
    assert "One of a kind" in card.inner_text()
    assert card.locator("img").count() == 1
    assert card.locator("a").get_attribute("href") == "https://example.org/"
    titles = page.locator(".jp-WorkbenchEmu-card b").all_inner_texts()
    assert titles == ["The pixel", "Red pixel", "Blue pixel"]
    assert page.inner_text(".jp-WorkbenchEmu-intro") == "Or one of these"
    card.locator("button >> text=Buy it").click()  # a card's button sends its value
    page.wait_for_selector(".jp-WorkbenchEmu-bot-msg >> text=Sold!")
    page.close()


BILINGUAL = {
    "bot.yml": "name: hello\nlanguages: [en, fr]\n",
    "flows/main.flow.yml": """start: greet
nodes:
  greet:
    on_enter: [{say: hello}]
    on_receive: [{set: {user.name: "{{ text }}"}}]
    next: [{to: END}]
""",
    "content/messages.yml": "hello: {text: {en: Hello, fr: Bonjour}}\n",
}


def test_the_emulator_switches_language_and_user(lab: Lab, browser: Any) -> None:
    for relative, text in BILINGUAL.items():
        (lab.root / "langs" / "hello" / relative).parent.mkdir(parents=True, exist_ok=True)
        (lab.root / "langs" / "hello" / relative).write_text(text)
    page = open_flow(browser, lab, "langs/hello")
    page.click(".jp-SideBar.jp-mod-right [title='Bot emulator']")
    page.click(".jp-WorkbenchEmu-refresh")
    page.wait_for_selector(".jp-WorkbenchEmu-bot option[value='langs/hello']", state="attached")
    page.select_option(".jp-WorkbenchEmu-bot", "langs/hello")

    def say(text: str) -> None:
        page.fill(".jp-WorkbenchEmu-input", text)
        page.press(".jp-WorkbenchEmu-input", "Enter")

    say("hi")
    page.wait_for_selector(".jp-WorkbenchEmu-bot-msg >> text=Hello")
    page.select_option(".jp-WorkbenchEmu-language", "fr")  # a new conversation, in French
    assert page.locator(".jp-WorkbenchEmu-bot-msg").count() == 0
    say("salut")
    page.wait_for_selector(".jp-WorkbenchEmu-bot-msg >> text=Bonjour")
    say("Ada")
    page.wait_for_selector(".jp-WorkbenchEmu-trace >> nth=1")
    trace = page.locator(".jp-WorkbenchEmu-trace").nth(1).text_content() or ""
    assert 'user.name = "Ada"' in trace  # the trace (folded) lists the variables set
    page.fill(".jp-WorkbenchEmu-user", "bob")  # another user: no name yet
    page.press(".jp-WorkbenchEmu-user", "Enter")
    page.locator(".jp-WorkbenchEmu-note >> text=user bob").wait_for()
    say("salut")
    page.wait_for_selector(".jp-WorkbenchEmu-trace")
    say("Bob")
    page.wait_for_selector(".jp-WorkbenchEmu-trace >> nth=1")
    changes = page.locator(".jp-WorkbenchEmu-trace").nth(1).text_content() or ""
    assert 'user.name = "Bob"' in changes  # set, not changed from Ada: bob is another user
    page.close()
