"""JupyterLab in Chromium: the NLU views of a notebook. A sentence typed in the intent tester
shows its intent and entity; the cross-validation charts render as Vega graphics; an intent
picked for an unhandled message in the review widget is added to the bot, which then
understands it."""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.e2e.conftest import SCREENSHOTS, Lab, open_notebook, run_all_cells, write_notebook

pytestmark = pytest.mark.browser

DAMAGED = "the box came damaged"
CELLS = [
    "import workbench as wb\n"
    "from workbench.notebook import confusion_chart, f1_chart, threshold_chart\n"
    'bot = wb.Bot.load("sample_bots/support", db="memory://")\n'
    "cv = bot.evaluate_nlu(folds=5)",
    "tester = bot.nlu_tester()\ntester",
    "confusion_chart(cv.report)",
    "f1_chart(cv.report)",
    "threshold_chart(cv.curve(), cv.threshold)",
    f'review = bot.review_unhandled(texts=["{DAMAGED}", "is the fish fresh"])\nreview',
]
TESTER, CHARTS, REVIEW = 1, (2, 3, 4), 5
# every code cell has run (an execution count in its prompt), or one of them failed
SETTLED = """(n) => {
  const prompts = Array.from(document.querySelectorAll('.jp-CodeCell .jp-InputPrompt'));
  const texts = Array.from(document.querySelectorAll('.jp-OutputArea-output'))
    .map(o => o.innerText);
  return texts.some(t => t.includes('Traceback'))
    || (prompts.length === n && prompts.every(p => /\\[\\d+\\]/.test(p.innerText)));
}"""
# vega drew something: marks in its svg, or pixels that are not transparent on its canvas
DRAWN = """(marks) => {
  if (marks.tagName.toLowerCase() === 'svg') return marks.querySelectorAll('path, rect').length > 0;
  if (!marks.width || !marks.height) return false;
  const pixels = marks.getContext('2d').getImageData(0, 0, marks.width, marks.height).data;
  return pixels.some((value, i) => i % 4 === 3 && value > 0);
}"""


def outputs_text(page: Any) -> str:
    return "\n".join(page.locator(".jp-OutputArea-output").all_inner_texts())


def assert_no_error(page: Any) -> None:
    text = outputs_text(page)
    assert "Traceback" not in text, text


def cell(page: Any, index: int) -> Any:
    return page.locator(".jp-Notebook .jp-CodeCell").nth(index)


def test_intent_tester_charts_and_review(lab: Lab, browser: Any) -> None:
    page = open_notebook(
        browser, lab, write_notebook(lab, "nlu.ipynb", CELLS), width=1100, height=1200
    )
    try:
        run_all_cells(page)
        page.wait_for_function(SETTLED, arg=len(CELLS), timeout=120_000)
        assert_no_error(page)

        # 1. the intent tester: type a sentence, press Enter, read the answer
        tester = cell(page, TESTER).locator(".jp-OutputArea-output")
        box = tester.get_by_placeholder("Type a sentence and press Enter")
        box.wait_for(timeout=30_000)
        # fill: one "input" event, so one state message, sent at once, before Enter's "submit".
        # Typed key by key, the later state messages wait in the page (ipywidgets' throttle)
        # while the kernel has not answered the first, but "submit" never waits: it could
        # overtake them and test a part of the sentence.
        box.fill("where is order 10231")
        box.press("Enter")
        tester.locator("b", has_text="order_status").first.wait_for(timeout=30_000)
        answer = tester.locator("table").first.inner_text()
        assert "order_status" in answer
        assert "entity number" in answer and "10231" in answer, answer

        # 2. the three charts: drawn by vega-embed (svg or canvas), not a text fallback
        for index in CHARTS:
            output = cell(page, index).locator(".jp-OutputArea-output")
            marks = output.locator(".vega-embed canvas.marks, .vega-embed svg.marks")
            marks.wait_for(timeout=60_000)
            assert "jp-RenderedVegaLite" in (output.get_attribute("class") or "")
            assert marks.evaluate(DRAWN), f"chart {index} is blank"
        assert page.locator(".vega-embed").count() == len(CHARTS)
        if os.environ.get("WORKBENCH_SCREENSHOTS") == "1":
            save_screenshot(page)

        # 3. the review: pick faq_returns for one message and add it to the bot
        review = cell(page, REVIEW).locator(".jp-OutputArea-output")
        row = review.locator(".widget-hbox", has_text=DAMAGED)
        row.locator("select").select_option("faq_returns")
        review.get_by_role("button", name="Add to the bot").click()
        status = review.get_by_text("Added 1 example to faq_returns")
        status.wait_for(timeout=60_000)
        assert "the bot retrained" in status.inner_text()
        # the review lists it no more: the retrained bot understands it
        review.locator(".widget-hbox", has_text=DAMAGED).wait_for(state="detached")

        # ... and a new cell shows how the bot parses it now
        page.locator(".jp-Notebook-footer").click()  # "Click to add a cell"
        editor = cell(page, len(CELLS)).locator(".cm-content")
        editor.click()
        page.keyboard.insert_text(f'print("parsed as", bot.nlu.parse("{DAMAGED}").intent)')
        page.keyboard.press("Shift+Enter")
        printed = cell(page, len(CELLS)).locator(".jp-OutputArea-output")
        printed.get_by_text("parsed as").wait_for(timeout=60_000)
        assert printed.inner_text().strip() == "parsed as faq_returns"
        assert_no_error(page)
    finally:
        page.close()


def save_screenshot(page: Any) -> None:
    """The tester (with its answer) and the confusion matrix below it: docs/img/nlu.png."""
    tester = cell(page, TESTER).locator(".jp-OutputArea-output")
    tester.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.mouse.move(0, 0)  # no hover effects
    top = tester.bounding_box()
    bottom = cell(page, CHARTS[0]).locator(".vega-embed").bounding_box()
    clip = {
        "x": top["x"],
        "y": top["y"],
        "width": top["width"],
        "height": bottom["y"] + bottom["height"] + 8 - top["y"],
    }
    page.screenshot(path=str(SCREENSHOTS / "nlu.png"), clip=clip)
