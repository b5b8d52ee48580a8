"""The analytics dashboard as users get it: ``workbench dashboard analytics BOT`` serves Voilà on
127.0.0.1, and Debian's Chromium (driven by Playwright) loads the page, sees the figures and the
charts, and changes a filter: the figures and the drop-off chart follow. A bot that never talked
shows an empty state. ``WORKBENCH_SCREENSHOTS=1`` refreshes docs/img/analytics-*.png."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import workbench as wb
from tests.conftest import ROOT, SAMPLE_BOTS
from tests.e2e.conftest import SCREENSHOTS, _free_port
from workbench.stores import default_url

pytestmark = pytest.mark.browser

DRAWN = """(marks) => {
  if (marks.tagName.toLowerCase() === 'svg') return marks.querySelectorAll('path, rect').length > 0;
  if (!marks.width || !marks.height) return false;
  const pixels = marks.getContext('2d').getImageData(0, 0, marks.width, marks.height).data;
  return pixels.some((value, i) => i % 4 === 3 && value > 0);
}"""


KPI_IS = """([name, value]) => {
  const tile = document.querySelector(`.wb-kpi[data-kpi='${name}']`);
  return tile !== null && tile.dataset.value === value;
}"""


def serve(bot: Path) -> Iterator[str]:
    """``workbench dashboard analytics BOT --port P --no-browser``; yields the URL it prints."""
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
        "WORKBENCH_DB": "",
        "JUPYTER_RUNTIME_DIR": str(bot.parent / ".runtime"),
    }
    command = [sys.executable, "-m", "workbench", "dashboard", "analytics", str(bot),
               "--port", str(port), "--no-browser"]  # fmt: skip
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    assert process.stdout is not None
    try:
        for line in process.stdout:  # blocks until the page answers (or the command exits)
            found = re.search(r"http://127\.0\.0\.1:\d+/", line)
            if found:
                assert found.group(0) == f"http://127.0.0.1:{port}/"
                yield found.group(0)
                break
        else:
            pytest.fail(f"workbench dashboard exited with {process.wait()}")
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # the command and the Voilà it started
        process.wait(timeout=30)
        process.stdout.close()


@pytest.fixture(scope="module")
def pizza(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the pizza bot with 120 simulated and 3 real conversations in its store."""
    folder = tmp_path_factory.mktemp("dash") / "pizza"
    shutil.copytree(SAMPLE_BOTS / "pizza", folder, ignore=shutil.ignore_patterns(".workbench"))
    bot = wb.Bot.load(folder, db=default_url(folder))  # the store the dashboard reads
    bot.simulate(120, seed=4, progress=False)
    for user, texts in {
        "ada": ["hi", "large", "ham", "done", "yes", "card", "4242"],
        "bob": ["hi", "a small one"],
        "cy": ["do you sell burgers"],
    }.items():
        conv = bot.conversation(user)
        for text in texts:
            conv.say(text)
    bot.store.close()
    return folder


def kpi(page: Any, name: str) -> float:
    return float(page.locator(f".wb-kpi[data-kpi='{name}']").get_attribute("data-value"))


def chart(page: Any, name: str) -> Any:
    marks = page.locator(f".wb-{name}-chart .vega-embed canvas, .wb-{name}-chart .vega-embed svg")
    marks.first.wait_for(timeout=60_000)
    page.wait_for_function(DRAWN, arg=marks.first.element_handle(), timeout=60_000)
    return page.locator(f".wb-{name}-chart .vega-embed").first


def test_the_dashboard_loads_and_follows_a_filter(pizza: Path, browser: Any) -> None:
    from playwright.sync_api import Error as PlaywrightError  # there: the browser fixture ran

    for url in serve(pizza):
        page = browser.new_page(viewport={"width": 1400, "height": 1900})
        page.goto(url)
        page.locator(".wb-kpi[data-kpi='conversations']").wait_for(timeout=90_000)
        assert kpi(page, "conversations") == 123
        dropoff = chart(page, "dropoff")
        chart(page, "funnel")
        chart(page, "fallback")
        page.locator(".wb-graph .cytoscape-container, .wb-graph canvas").first.wait_for()
        assert "hi" in page.locator(".wb-table").inner_text()
        assert page.locator("a.wb-csv").get_attribute("download") == "unhandled.csv"
        before = dropoff.screenshot()
        if os.environ.get("WORKBENCH_SCREENSHOTS"):
            page.wait_for_timeout(1500)  # the graph's layout settles
            page.screenshot(path=str(SCREENSHOTS / "analytics-dashboard.png"), full_page=True)
            page.locator(".wb-graph").first.screenshot(
                path=str(SCREENSHOTS / "analytics-dropoff-overlay.png")
            )
        page.locator(".wb-who button", has_text="Real").click()
        page.wait_for_function(KPI_IS, arg=["conversations", "3.0"], timeout=60_000)
        assert kpi(page, "users") == 3
        after = before
        for _ in range(60):  # the drop-off chart is redrawn for the real conversations
            try:
                after = chart(page, "dropoff").screenshot()
            except PlaywrightError:  # replaced while we looked: look again
                continue
            if after != before:
                break
            page.wait_for_timeout(500)
        assert after != before
        text = page.locator("body").inner_text()
        assert "Traceback" not in text and "real" in text
        page.close()


def test_a_bot_without_conversations_shows_an_empty_state(tmp_path: Path, browser: Any) -> None:
    folder = tmp_path / "pizza"
    shutil.copytree(SAMPLE_BOTS / "pizza", folder, ignore=shutil.ignore_patterns(".workbench"))
    for url in serve(folder):
        page = browser.new_page()
        page.goto(url)
        page.get_by_text("No conversations yet").wait_for(timeout=90_000)
        assert "Traceback" not in page.locator("body").inner_text()
        page.close()
