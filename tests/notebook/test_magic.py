"""``%%flow``, ``%%content`` and ``%%intents`` cells in a real IPython shell."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell

import workbench as wb

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:IPython.*")

CONTENT = """%%content
greeting: "Hello!"
ask_size:
  type: choice
  text: Which size?
  choices: [Small, Large]
"""
MAIN = """%%flow main
start: hello
nodes:
  hello:
    on_enter: [{say: greeting}, {say: ask_size}]
    on_receive:
      - set: {size: "{{ entities.size or text }}"}
    next:
      - when: state.size
        to: done
  done:
    on_enter: [{say: {text: "One {{ state.size }} pizza."}}]
    next: [{to: END}]
"""


@pytest.fixture
def shell() -> Iterator[InteractiveShell]:
    ip = InteractiveShell.instance()
    ip.run_line_magic("load_ext", "workbench")
    yield ip
    ip.user_ns.pop("bot", None)
    InteractiveShell.clear_instance()


def run(shell: InteractiveShell, cell: str) -> BaseException | None:
    result = shell.run_cell(cell, silent=True)
    return result.error_in_exec or result.error_before_exec


def test_cells_build_a_bot_that_talks(shell: InteractiveShell) -> None:
    assert run(shell, CONTENT) is None
    assert run(shell, MAIN) is None
    assert run(shell, "%%intents\nentities:\n  size:\n    large: [big]\n") is None
    bot = shell.user_ns["bot"]
    assert isinstance(bot, wb.Bot)
    conv = bot.conversation("u1")
    assert [r.text for r in conv.say("hi")] == ["Hello!", "Which size?"]
    assert [r.text for r in conv.say("a big one")] == ["One large pizza."]


def test_rerunning_a_cell_updates_the_bot(shell: InteractiveShell) -> None:
    run(shell, CONTENT)
    run(shell, MAIN)
    run(shell, MAIN.replace("One {{ state.size }} pizza.", "A {{ state.size }} pizza!"))
    conv = shell.user_ns["bot"].conversation("u2")
    conv.say("hi")
    assert [r.text for r in conv.say("2")] == ["A Large pizza!"]


def test_a_mistake_is_one_line_naming_the_cell_line(shell: InteractiveShell) -> None:
    run(shell, CONTENT)
    run(shell, MAIN)
    bot = shell.user_ns["bot"]
    version = bot.flows.version
    error = run(shell, MAIN.replace("when: state.size", "when: state.size ==="))
    assert isinstance(error, UsageError)
    assert str(error).startswith("<%%flow main>:9: bad condition 'state.size ==='")
    assert bot.flows.version == version  # the bot keeps its previous flows
    error = run(shell, MAIN.replace("say: greeting", "say: nope"))
    assert "<%%flow main>:5: unknown content element 'nope'" in str(error)


def test_flow_cell_uses_another_variable(shell: InteractiveShell) -> None:
    shell.user_ns["other"] = wb.Bot.new("other")
    run(shell, "%%content --bot other\ngreeting: Hi\nask_size: Size?\n")
    assert run(shell, MAIN.replace("%%flow main", "%%flow main --bot other")) is None
    assert "bot" not in shell.user_ns
    assert shell.user_ns["other"].flows.flows["main"].start == "hello"
