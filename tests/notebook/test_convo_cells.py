"""A bot built in cells has tests too: ``%%convo`` cells and chats saved with
``chat.save_convo``; ``bot.test()`` runs them, ``bot.save`` writes them into ``tests/``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell

import workbench as wb

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:IPython.*")

MAIN = """%%flow main
start: hello
nodes:
  hello:
    on_enter: [{say: {text: "Hi! Coffee or tea?"}}]
    on_receive: [{set: {drink: "{{ text }}"}}]
    next: [{to: done}]
  done:
    on_enter: [{say: {text: "One {{ state.drink }} coming up."}}]
    next: [{to: END}]
"""
CONVO = """%%convo orders
- name: orders tea
  turns:
    - user: hi
      bot: ["Hi! Coffee or tea?"]
    - user: tea
      bot: ["One tea coming up."]
      ended: true
"""


@pytest.fixture
def shell() -> Iterator[InteractiveShell]:
    ip = InteractiveShell.instance()
    ip.run_line_magic("load_ext", "workbench")
    assert ip.run_cell(MAIN, silent=True).success
    yield ip
    ip.user_ns.pop("bot", None)
    InteractiveShell.clear_instance()


def run(shell: InteractiveShell, cell: str) -> BaseException | None:
    result = shell.run_cell(cell, silent=True)
    return result.error_in_exec or result.error_before_exec


def test_a_convo_cell_is_a_test_of_the_bot(
    shell: InteractiveShell, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(shell, CONVO) is None
    assert "1 conversation test in 'orders': bot.test() runs them" in capsys.readouterr().out
    report = shell.user_ns["bot"].test()
    assert str(report) == "nodes covered: 2/2\n1 passed, 0 failed"
    # a re-run cell replaces its tests; a wrong expectation names the cell's line
    assert run(shell, CONVO.replace("ended: true", "ended: false")) is None
    report = shell.user_ns["bot"].test()
    assert report.counts == "0 passed, 1 failed"
    (failure,) = report.results[0].failures
    assert failure == (
        "<%%convo orders>:6: turn 2 'tea': the session ended (expected it to go on at a node)"
    )


def test_a_convo_cell_without_a_name_is_named_after_its_first_conversation(
    shell: InteractiveShell,
) -> None:
    assert run(shell, CONVO.replace("%%convo orders", "%%convo")) is None
    assert list(shell.user_ns["bot"].convo_tests) == ["orders_tea"]


def test_mistakes_in_a_convo_cell_are_one_line_naming_the_cell_line(
    shell: InteractiveShell,
) -> None:
    error = run(shell, CONVO.replace("    - user: tea", "    - usr: tea"))
    assert isinstance(error, UsageError)
    assert str(error).startswith("<%%convo orders>:6: ")
    error = run(shell, "%%convo\n# nothing yet\n")
    assert isinstance(error, UsageError) and "a list of conversations" in str(error)
    error = run(shell, CONVO.replace("%%convo orders", "%%convo my/tests"))
    assert isinstance(error, UsageError) and "bad test name 'my/tests'" in str(error)
    assert shell.user_ns["bot"].convo_tests == {}


def test_with_no_tests_bot_test_says_how_to_add_one(shell: InteractiveShell) -> None:
    report = shell.user_ns["bot"].test()
    assert str(report) == (
        "no conversation tests yet: write one in a %%convo cell, or save a chat as one: "
        "chat.save_convo('NAME.convo.yml')"
    )
    assert report.results == () and "%%convo" in report._repr_html_()


def test_a_saved_chat_is_a_test_and_the_saved_folder_keeps_them_all(
    shell: InteractiveShell, tmp_path: Path
) -> None:
    bot = shell.user_ns["bot"]
    assert run(shell, CONVO) is None
    chat = bot.chat()
    chat.send("hello")
    chat.send("coffee")
    chat.save_convo(tmp_path / "coffee.convo.yml", name="orders coffee")
    assert bot.test().counts == "2 passed, 0 failed"

    folder = bot.save(tmp_path / "cafe")
    assert sorted(p.name for p in (folder / "tests").iterdir()) == [
        "coffee.convo.yml",
        "orders.convo.yml",
    ]
    loaded = wb.Bot.load(folder, db="memory://")
    report = loaded.test()
    assert report.counts == "2 passed, 0 failed"
    assert {r.where for r in report.results} == {
        f"{folder}/tests/coffee.convo.yml:1",
        f"{folder}/tests/orders.convo.yml:2",
    }


def test_a_folder_without_tests_says_where_they_go(tmp_path: Path) -> None:
    folder = tmp_path / "quiet"
    (folder / "flows").mkdir(parents=True)
    (folder / "bot.yml").write_text("name: quiet\n")
    (folder / "flows" / "main.flow.yml").write_text(
        "start: a\nnodes:\n  a:\n    on_enter: [{say: {text: Hi}}]\n"
    )
    report = wb.Bot.load(folder, db="memory://").test()
    assert str(report).startswith(f"no conversation tests in {folder}/tests/: write one in")
