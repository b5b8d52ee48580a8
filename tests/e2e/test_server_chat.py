"""The web chat of ``workbench serve`` in Chromium: replies of every kind, user text shown as
text, a reconnect after a server restart that loses and repeats nothing, and the embed script."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.server.server_kit import ServerProcess, write_echo_bot

HOSTILE = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>'


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    folder = write_echo_bot(tmp_path / "echo")
    yield folder, f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def send(page: Any, text: str) -> None:
    page.fill(".wb-input", text)
    page.click(".wb-send")


def bot_texts(page: Any) -> list[str]:
    return [str(t) for t in page.locator(".wb-bot .wb-bubble").all_text_contents()]


def test_the_web_chat_talks_renders_and_escapes(
    served: tuple[Path, str], page: Any, browser: Any
) -> None:
    folder, db = served
    server = ServerProcess(folder, db, "--janitor-interval", "0")
    try:
        page.goto(f"{server.url}/chat?conversation={uuid.uuid4().hex}")
        page.wait_for_selector("body[data-state=open]")
        send(page, "hi")
        page.wait_for_selector(".wb-bot .wb-bubble:text-is('Hello!')")
        send(page, HOSTILE)
        page.wait_for_selector(".wb-bot .wb-bubble:has-text('you said')")
        assert page.locator(".wb-user .wb-bubble").nth(1).text_content() == HOSTILE
        assert page.locator(".wb-log img[src='x']").count() == 0
        assert page.evaluate("window.pwned") is None

        send(page, "menu")
        page.wait_for_selector(".wb-bot[data-type=image] img")
        assert page.locator(".wb-choice").all_text_contents() == ["Small <i>", "Large"]
        assert "Pick a <b>size</b>" in bot_texts(page)
        card = page.locator(".wb-bot[data-type=card] .wb-card-title")
        assert card.text_content() == "Today's <script>alert(1)</script> offer"
        carousel = page.locator(".wb-bot[data-type=carousel] .wb-card-title")
        assert carousel.all_text_contents() == ["Margherita", "Diavola"]
        logo = page.locator(".wb-bot[data-type=image] img")
        assert logo.get_attribute("src") == "https://example.invalid/logo.png"

        page.locator(".wb-choice", has_text="Large").click()
        page.wait_for_selector(".wb-bot .wb-bubble:text-matches('you said large')")

        # the server restarts: the page reconnects and the conversation goes on
        server.stop()
        page.wait_for_selector("body[data-state=closed]")
        server = ServerProcess(folder, db, "--janitor-interval", "0", port=server.port)
        page.wait_for_selector("body[data-state=open]", timeout=30_000)
        send(page, "after the restart")
        page.wait_for_selector(".wb-bot .wb-bubble:text-matches('you said after the restart')")
        said = bot_texts(page)
        assert said.count("Hello!") == 1 and len(said) == len(set(said))  # nothing twice
    finally:
        server.stop()


def test_the_embed_script_opens_the_chat_on_any_page(served: tuple[Path, str], page: Any) -> None:
    folder, db = served
    server = ServerProcess(folder, db, "--janitor-interval", "0")
    try:
        page.set_content(
            f'<html><body><h1>A shop</h1><script src="{server.url}/chat.js"></script></body></html>'
        )
        page.click("[data-workbench-chat] button")
        chat = page.frame_locator("[data-workbench-chat] iframe")
        chat.locator("body[data-state=open]").wait_for()
        chat.locator(".wb-input").fill("hi")
        chat.locator(".wb-send").click()
        chat.locator(".wb-bot .wb-bubble:text-is('Hello!')").wait_for()
    finally:
        server.stop()
