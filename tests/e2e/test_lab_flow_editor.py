"""The JupyterLab extension in a real JupyterLab: the flow editor and the emulator panel.

Each test works on its own copy of the pizza bot (``NAME/pizza`` under the lab's root), so
edits made here never reach the other browser tests.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SAMPLE_BOTS
from tests.e2e.conftest import SCREENSHOTS, Lab
from workbench.flows import load_flow_files
from workbench.notebook import graph_elements

pytestmark = pytest.mark.browser

GRAPH = ".jp-WorkbenchGraph"


def pizza_copy(lab: Lab, name: str) -> str:
    """A fresh copy of the pizza bot at ``name/pizza``; returns that path."""
    target = lab.root / name / "pizza"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(SAMPLE_BOTS / "pizza", target, ignore=shutil.ignore_patterns(".workbench"))
    return f"{name}/pizza"


def open_flow(browser: Any, lab: Lab, bot: str, flow: str = "main") -> Any:
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.goto(lab.page_url(f"{bot}/flows/{flow}.flow.yml"))
    page.wait_for_selector(f"{GRAPH}[data-nodes]", timeout=60_000)
    return page


def node_point(page: Any, element_id: str) -> tuple[float, float]:
    """Where a graph node is drawn on the page (cytoscape draws on a canvas)."""
    point = page.evaluate(
        """([selector, id]) => {
            const container = document.querySelector(selector);
            const cy = container._cyreg.cy;
            const p = cy.getElementById(id).renderedPosition();
            const box = container.getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }""",
        [GRAPH, element_id],
    )
    return float(point[0]), float(point[1])


def graph_classes(page: Any, element_id: str) -> list[str]:
    return page.evaluate(
        """([selector, id]) => document.querySelector(selector)._cyreg.cy
            .getElementById(id).classes()""",
        [GRAPH, element_id],
    )


def workbench_lint(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workbench", "lint", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_flow_file_opens_in_the_flow_editor_with_its_nodes_drawn(lab: Lab, browser: Any) -> None:
    bot = pizza_copy(lab, "drawn")
    page = open_flow(browser, lab, bot)
    flows, _ = load_flow_files(lab.root / bot, bot)
    assert flows is not None
    expected = [n for n in graph_elements(flows, "main")["nodes"] if n["data"]["kind"] != "flow"]
    assert page.get_attribute(GRAPH, "data-nodes") == str(len(expected))
    assert page.get_attribute(".jp-WorkbenchFlowEditor", "data-parsed") == "true"
    assert page.get_attribute(".jp-WorkbenchFlowEditor", "data-problems") == "0"
    # the YAML text is beside the graph
    assert "start: welcome" in page.inner_text(".jp-WorkbenchText")
    assert "waits" in " ".join(graph_classes(page, "main.ask_size"))
    page.close()


def test_changing_a_transition_in_the_form_rewrites_the_file_and_lint_stays_clean(
    lab: Lab, browser: Any
) -> None:
    bot = pizza_copy(lab, "edited")
    path = lab.root / bot / "flows" / "main.flow.yml"
    before = path.read_text()
    page = open_flow(browser, lab, bot)
    page.mouse.click(*node_point(page, "main.ask_size"))
    page.wait_for_selector(".jp-WorkbenchForm-header >> text=ask_size")
    expected = before.replace(
        "      - when: state.size\n        to: ask_toppings",
        "      - when: state.size\n        to: confirm",
        1,
    )
    assert expected != before

    def saved(response: Any) -> bool:
        return response.request.method == "PUT" and response.url.split("?")[0].endswith(
            f"api/contents/{bot}/flows/main.flow.yml"
        )

    # the editor saves the file: the server answers the PUT once it is written
    with page.expect_response(saved, timeout=30_000) as put:
        page.select_option(".jp-WorkbenchTransition-to >> nth=0", "confirm")
    assert put.value.ok
    assert path.read_text() == expected  # only that line changed: comments and layout kept
    lint = workbench_lint(lab.root / bot)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    assert "0 errors" in lint.stderr
    # the graph follows the file: the edge now goes to confirm
    edge = page.evaluate(
        """(selector) => document.querySelector(selector)._cyreg.cy
            .edges('[source = "main.ask_size"]').map(e => e.data('target'))""",
        GRAPH,
    )
    assert "main.confirm" in edge
    page.close()


def test_text_that_does_not_parse_shows_its_error_and_keeps_the_last_graph(
    lab: Lab, browser: Any
) -> None:
    bot = pizza_copy(lab, "broken")
    page = open_flow(browser, lab, bot)
    nodes = page.get_attribute(GRAPH, "data-nodes")
    page.click(".jp-WorkbenchText .cm-content")
    page.keyboard.press("Control+End")
    page.keyboard.type("\n  oops: [unclosed\n")
    page.wait_for_selector(".jp-WorkbenchFlowEditor[data-parsed='false']")
    assert "line" in page.inner_text(".jp-WorkbenchBanner")
    assert page.get_attribute(GRAPH, "data-nodes") == nodes
    assert "oops: [unclosed" in page.inner_text(".jp-WorkbenchText")
    page.close()


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


def flow_saved(bot: str) -> Any:
    """A response predicate: the PUT that saves the bot's main flow (answered once written)."""

    def match(response: Any) -> bool:
        return response.request.method == "PUT" and response.url.split("?")[0].endswith(
            f"api/contents/{bot}/flows/main.flow.yml"
        )

    return match


def test_adding_a_node_from_the_toolbar_then_undo_and_redo(lab: Lab, browser: Any) -> None:
    bot = pizza_copy(lab, "undo")
    path = lab.root / bot / "flows" / "main.flow.yml"
    before = path.read_text()
    page = open_flow(browser, lab, bot)
    nodes = int(page.get_attribute(GRAPH, "data-nodes") or 0)
    page.click(".jp-Toolbar-item >> text=Node")
    page.fill(".jp-Dialog input", "ask_drink")
    with page.expect_response(flow_saved(bot), timeout=30_000):
        page.keyboard.press("Enter")
    added = path.read_text()
    assert added.startswith(before)
    assert "\n  ask_drink:\n" in added[len(before) :]
    page.wait_for_selector(f"{GRAPH}[data-nodes='{nodes + 1}']")
    assert page.inner_text(".jp-WorkbenchForm-header").startswith("ask_drink")

    with page.expect_response(flow_saved(bot), timeout=30_000):
        page.click(".jp-Toolbar-item[data-jp-item-name='workbench-undo'] button")
    assert path.read_text() == before
    page.wait_for_selector(f"{GRAPH}[data-nodes='{nodes}']")

    with page.expect_response(flow_saved(bot), timeout=30_000):
        page.click(".jp-Toolbar-item[data-jp-item-name='workbench-redo'] button")
    assert path.read_text() == added
    page.close()


def test_a_dragged_node_keeps_its_place_in_the_sidecar_file(lab: Lab, browser: Any) -> None:
    bot = pizza_copy(lab, "drag")
    flow = lab.root / bot / "flows" / "main.flow.yml"
    before = flow.read_text()
    page = open_flow(browser, lab, bot)
    x, y = node_point(page, "main.thanks")

    def sidecar_saved(response: Any) -> bool:
        return response.request.method == "PUT" and "main.flow.ui.json" in response.url

    with page.expect_response(sidecar_saved, timeout=30_000):
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x + 60, y + 40, steps=5)
        page.mouse.move(x + 120, y + 80, steps=5)
        page.mouse.up()
    sidecar = json.loads((lab.root / bot / "flows" / "main.flow.ui.json").read_text())
    moved = sidecar["positions"]["main.thanks"]
    assert set(moved) == {"x", "y"}
    assert flow.read_text() == before  # the flow file stays clean
    page.close()

    page = open_flow(browser, lab, bot)  # opened again: the node is where it was dropped
    place = page.evaluate(
        """([selector, id]) => document.querySelector(selector)._cyreg.cy
            .getElementById(id).position()""",
        [GRAPH, "main.thanks"],
    )
    assert (round(place["x"]), round(place["y"])) == (moved["x"], moved["y"])
    page.close()


def test_run_conversation_tests_links_a_failure_to_its_line(lab: Lab, browser: Any) -> None:
    bot = pizza_copy(lab, "tested")
    convo = lab.root / bot / "tests" / "order.convo.yml"
    text = convo.read_text()
    convo.write_text(text.replace('"What size would you like?"', '"Which size?"', 1))
    turn = 1 + text.splitlines().index("    - user: hi")  # the failing turn's line
    page = open_flow(browser, lab, bot)
    page.click(".jp-Toolbar-item >> text=Tests")
    page.wait_for_selector(".jp-WorkbenchTests h3")
    summary = page.inner_text(".jp-WorkbenchTests h3")
    assert summary.endswith("passed, 1 failed")
    failure = page.locator(".jp-WorkbenchTests-failure").first
    assert "Which size?" in failure.inner_text()
    link = failure.locator("a")
    assert link.inner_text() == f"{bot}/tests/order.convo.yml:{turn}"
    link.click()
    # the test file opens in the text editor with the cursor on that line
    page.wait_for_selector(".jp-FileEditor .cm-content")
    page.get_by_text(f"Ln {turn}, Col 1").wait_for()
    page.close()


def test_new_bot_from_the_launcher_opens_its_flow(lab: Lab, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.goto(f"{lab.url}lab?reset&token={lab.token}")
    page.click(".jp-LauncherCard[title*='scaffold']")
    page.fill(".jp-Dialog input", "made/coffee")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"{GRAPH}[data-nodes]", timeout=60_000)
    assert (lab.root / "made" / "coffee" / "bot.yml").is_file()
    assert page.get_attribute(GRAPH, "data-nodes") == "4"  # welcome, ask_name, goodbye, END
    lint = workbench_lint(lab.root / "made" / "coffee")
    assert lint.returncode == 0, lint.stdout + lint.stderr
    page.close()


def test_lint_problems_show_on_their_nodes(lab: Lab, browser: Any) -> None:
    bot = pizza_copy(lab, "linted")
    flow = lab.root / bot / "flows" / "main.flow.yml"
    flow.write_text(flow.read_text().replace("to: ask_toppings\n", "to: nowhere\n", 1))
    page = open_flow(browser, lab, bot)
    page.wait_for_selector(".jp-WorkbenchProblem")
    assert "nowhere" in page.inner_text(".jp-WorkbenchProblems")
    assert "lint" in graph_classes(page, "main.remember_size")
    assert "missing" in graph_classes(page, "main.nowhere")
    page.close()


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


def test_the_text_editor_stays_under_open_with(lab: Lab, browser: Any) -> None:
    bot = pizza_copy(lab, "openwith")
    page = open_flow(browser, lab, bot)
    page.click(".jp-DirListing-item[title*='main.flow.yml']", button="right")
    page.click(".lm-Menu-item >> text=Open With")
    submenu = page.locator(".lm-Menu").last
    submenu.locator(".lm-Menu-itemLabel >> text=Editor").first.wait_for()
    labels = submenu.locator(".lm-Menu-itemLabel").all_inner_texts()
    assert "Flow Editor" in labels
    assert "Editor" in labels
    submenu.locator(".lm-Menu-itemLabel", has_text="Editor").filter(has_not_text="Flow").click()
    page.wait_for_selector(".jp-FileEditor .cm-content")
    assert "start: welcome" in page.inner_text(".jp-FileEditor .cm-content")
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
