"""The JupyterLab extension in a real JupyterLab: the flow editor and the commands.

Each test works on its own copy of the pizza bot (``NAME/pizza`` under the lab's root), so
edits made here never reach the other browser tests.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.e2e.conftest import Lab
from tests.e2e.lab_kit import (
    GRAPH,
    flow_saved,
    graph_classes,
    node_point,
    open_flow,
    pizza_copy,
    workbench_lint,
)
from workbench.flows import load_flow_files
from workbench.notebook import graph_elements

pytestmark = pytest.mark.browser


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
