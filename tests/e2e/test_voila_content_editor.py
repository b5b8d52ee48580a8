"""The content editor as content editors use it: ``workbench dashboard content BOT`` serving
Voilà, Debian's Chromium driven by Playwright. A text edited and saved reaches the file and
the next conversation; two pages saving the same message: the second sees the conflict with
both texts; an invalid value is marked at its field and nothing is saved; the preview speaks
the language picked. One Voilà server for the module, on a copy of the pizza bot."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import workbench as wb
import workbench.runtime._bot as runtime_bot
from tests.conftest import ROOT
from tests.dashboards.editor_kit import messages, pizza_copy
from tests.e2e.conftest import SCREENSHOTS, _free_port

pytestmark = pytest.mark.browser

READY = ".wb-content-editor .wb-list select"


@dataclass(frozen=True)
class Dashboard:
    url: str
    folder: Path


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dashboard]:
    """``workbench dashboard content`` on a copy of the pizza bot (English and French)."""
    folder = pizza_copy(tmp_path_factory.mktemp("voila") / "pizza")
    wb.Bot.load(folder)  # trains and caches its NLU model: the pages load it in milliseconds
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(p for p in [str(ROOT), os.environ.get("PYTHONPATH")] if p),
        "WORKBENCH_DB": "",  # the folder's own SQLite store, as the dashboard has by default
        "JUPYTER_RUNTIME_DIR": str(folder.parent / "runtime"),
    }
    command = [sys.executable, "-m", "workbench", "dashboard", "content", str(folder)]
    command += ["--port", str(port), "--no-browser"]
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert server.stdout is not None and server.stderr is not None
    drain = threading.Thread(target=lambda: list(server.stderr or ()), daemon=True)
    try:
        printed = server.stdout.readline()
        url = printed.split("http", 1)[-1].split()[0] if "http" in printed else printed
        url = "http" + url
        assert url == f"http://127.0.0.1:{port}/", printed
        for line in server.stderr:  # blocks until Voilà logs that it serves
            if f"127.0.0.1:{port}" in line:
                break
        else:
            pytest.fail(f"the dashboard did not start (exit {server.wait()})")
        drain.start()  # keep reading its log, so that it never blocks on a full pipe
        yield Dashboard(url, folder)
    finally:
        server.send_signal(signal.SIGTERM)  # stops Voilà and its kernels too
        server.wait(timeout=60)
        if drain.ident is not None:
            drain.join(timeout=30)
        server.stdout.close()
        server.stderr.close()


@pytest.fixture(autouse=True)
def look_every_turn(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process's bots look at the content files on every turn (not every 50 ms)."""
    monkeypatch.setattr(runtime_bot, "CONTENT_CHECK_SECONDS", 0.0)


def open_editor(browser: Any, dashboard: Dashboard, *, width: int = 1500) -> Any:
    page = browser.new_page(viewport={"width": width, "height": 1000})
    page.goto(dashboard.url)
    page.locator(READY).wait_for(timeout=60_000)
    return page


def open_element(page: Any, element_id: str, search: str = "") -> None:
    """Search, then pick the element in the list; returns once its form shows. (An option's
    text has non-breaking spaces; its ``value`` attribute is the label as written.)"""
    option = page.locator(f".wb-list option[value^='{element_id} —']")
    if search:
        page.locator(".wb-search input").fill(search)
        # the list of this search is drawn (picking in the list before would pick in the old)
        page.locator(".wb-count", has_text=f"“{search}”").wait_for()
    option.wait_for(state="attached")
    page.locator(".wb-list select").select_option(value=option.get_attribute("value"))
    page.locator(".wb-content-editor h2", has_text=element_id).wait_for()
    page.locator(".wb-form").first.wait_for()


def set_name(page: Any, name: str) -> None:
    page.locator(".wb-author input").fill(name)


def status(page: Any, kind: str) -> Any:
    """The status line once it shows a message of this kind (ok, error, warn)."""
    found = page.locator(f".wb-message.wb-{kind}").first
    found.wait_for(timeout=30_000)
    return found


def assert_no_traceback(page: Any) -> None:
    text = page.locator("body").inner_text()
    assert "Traceback" not in text and "Exception" not in text, text[:2000]


def test_search_edit_save_the_file_and_the_next_conversation(
    browser: Any, dashboard: Dashboard
) -> None:
    running = wb.Bot.load(dashboard.folder, db="memory://")  # a bot already running
    conv = running.conversation("u1")
    assert conv.say("hi")[1].text == "What size would you like?"
    page = open_editor(browser, dashboard)
    try:
        open_element(page, "ask_size", search="what size")
        assert page.locator(".wb-list option").count() == 1  # the search narrowed the list
        box = page.locator(".wb-key-text .wb-lang-en textarea")
        assert box.input_value() == "What size would you like?"
        box.fill("Which size would you like, dear?")
        page.locator(".wb-preview-web", has_text="Which size would you like, dear?").wait_for()
        set_name(page, "Ann")
        page.locator("button.wb-save").click()
        saved = status(page, "ok")
        assert "revision 2" in saved.inner_text()
        assert "  text: Which size would you like, dear?\n" in messages(dashboard.folder)
        assert conv.say("hi again")[1].text == "Which size would you like, dear?"
        fresh = wb.Bot.load(dashboard.folder, db="memory://").conversation("u2")
        assert fresh.say("hi")[1].text == "Which size would you like, dear?"
        assert_no_traceback(page)
    finally:
        page.close()


def test_two_pages_saving_one_message_the_second_sees_both_texts(
    browser: Any, dashboard: Dashboard
) -> None:
    first, second = open_editor(browser, dashboard), open_editor(browser, dashboard)
    try:
        for page, name in ((first, "Ann"), (second, "Bob")):
            open_element(page, "farewell")
            set_name(page, name)
        first.locator(".wb-key-text .wb-lang-en textarea").fill("Bye from Ann")
        first.locator("button.wb-save").click()
        status(first, "ok")
        mine = second.locator(".wb-form:not(.wb-read-only) .wb-key-text .wb-lang-en textarea")
        mine.fill("Bye from Bob")
        second.locator("button.wb-save").click()
        refused = status(second, "error").inner_text()
        assert re.search(r"Ann changed “farewell” at .* \(revision 2\)", refused), refused
        assert "Your text is still in the form" in refused
        theirs = second.locator(".wb-conflict .wb-key-text .wb-lang-en textarea")
        theirs.wait_for()
        assert mine.is_visible() and theirs.is_visible()  # both texts, side by side
        assert mine.input_value() == "Bye from Bob" and theirs.input_value() == "Bye from Ann"
        assert theirs.is_disabled()
        assert "Bye from Ann" in messages(dashboard.folder, "extra.yml")
        if os.environ.get("WORKBENCH_SCREENSHOTS") == "1":
            second.mouse.move(0, 0)
            second.screenshot(path=str(SCREENSHOTS / "content-conflict.png"))
        second.get_by_role("button", name="Save mine over theirs").click()
        second.locator(".wb-message.wb-ok").wait_for()
        assert "Bye from Bob" in messages(dashboard.folder, "extra.yml")
        assert_no_traceback(second)
    finally:
        first.close()
        second.close()


def test_an_invalid_value_is_marked_at_its_field_and_nothing_is_saved(
    browser: Any, dashboard: Dashboard
) -> None:
    page = open_editor(browser, dashboard)
    try:
        open_element(page, "promo", search="week")
        set_name(page, "Ann")
        before = messages(dashboard.folder, "extra.yml")
        for lang in ("en", "fr"):
            # the card's own title (its buttons have titles too, further down)
            page.locator(f".wb-key-title .wb-lang-{lang} input").first.fill("")
        page.locator("button.wb-save").click()
        refused = status(page, "error").inner_text()
        assert "Not saved" in refused and "“Title” needs a fix" in refused
        mark = page.locator(".wb-key-title .wb-field-error").first
        mark.wait_for()
        assert "This field is required" in mark.inner_text()
        assert messages(dashboard.folder, "extra.yml") == before
        assert_no_traceback(page)
    finally:
        page.close()


def test_switching_the_language_shows_the_translation(browser: Any, dashboard: Dashboard) -> None:
    page = open_editor(browser, dashboard)
    try:
        open_element(page, "promo")
        preview = page.locator(".wb-preview-web")
        preview.get_by_text("Pizza of the week").wait_for()
        page.locator(".wb-preview-language select").select_option(label="French (fr)")
        preview.get_by_text("Pizza de la semaine").wait_for()
        assert "Pizza of the week" not in preview.inner_text()
        page.locator(".wb-preview-text", has_text="Pizza de la semaine").wait_for()
        assert_no_traceback(page)
        if os.environ.get("WORKBENCH_SCREENSHOTS") == "1":
            save_screenshots(page)
    finally:
        page.close()


def save_screenshots(page: Any) -> None:
    """docs/img/content-editor.png (a question with choices, its preview with sample values)
    and docs/img/content-translations.png (the missing translations)."""
    page.locator(".wb-preview-language select").select_option(label="English (en)")
    open_element(page, "confirm_order")
    samples = {"state.size": "large", "state.toppings": "[ham, olives]", "state.price": "15.00"}
    for name, value in samples.items():
        page.locator(".wb-samples .widget-text", has_text=name).locator("input").fill(value)
    page.locator(".wb-preview-text", has_text="ham, olives: $15.00").wait_for()
    page.mouse.move(0, 0)
    page.screenshot(path=str(SCREENSHOTS / "content-editor.png"))
    page.get_by_role("tab", name="Missing translations").click()
    page.locator(".wb-missing-row").first.wait_for()
    page.mouse.move(0, 0)
    page.screenshot(path=str(SCREENSHOTS / "content-translations.png"))
