"""Every user mistake in a bot folder is an error naming file and line — never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

import workbench as wb
from tests.conftest import BotWriter

GOOD_MAIN = """start: hello
nodes:
  hello:
    on_enter:
      - say: greeting
    next:
      - to: END
"""
GREETING = {"content/messages.yml": "greeting: Hi!\n"}


def errors_of(folder: Path) -> list[str]:
    with pytest.raises(wb.BotError) as info:
        wb.Bot.load(folder, db="memory://")
    return [str(p) for p in info.value.problems]


def test_a_good_bot_loads(bot_folder: BotWriter) -> None:
    bot = wb.Bot.load(bot_folder({"flows/main.flow.yml": GOOD_MAIN, **GREETING}), db="memory://")
    assert [r.text for r in bot.conversation().say("hey")] == ["Hi!"]


def test_bad_yaml_names_file_and_line(bot_folder: BotWriter) -> None:
    folder = bot_folder({"flows/main.flow.yml": "start: a\nnodes:\n  a: [\n", **GREETING})
    (problem,) = errors_of(folder)
    assert problem.startswith(f"{folder}/flows/main.flow.yml:4: invalid YAML")


def test_unknown_key_names_its_line(bot_folder: BotWriter) -> None:
    flow = GOOD_MAIN.replace("    next:", "    nxt:\n      - to: END\n    next:")
    (problem,) = errors_of(bot_folder({"flows/main.flow.yml": flow, **GREETING}))
    assert problem.endswith("main.flow.yml:6: unknown key 'nodes.hello.nxt'")


def test_duplicate_key_is_an_error(bot_folder: BotWriter) -> None:
    flow = GOOD_MAIN + "  hello:\n    next: []\n"
    (problem,) = errors_of(bot_folder({"flows/main.flow.yml": flow, **GREETING}))
    assert "main.flow.yml:8: invalid YAML: duplicate key 'hello'" in problem


def test_invalid_node_name(bot_folder: BotWriter) -> None:
    flow = GOOD_MAIN + "  Bad-Name:\n    next: []\n"
    problems = errors_of(bot_folder({"flows/main.flow.yml": flow, **GREETING}))
    assert any(":8:" in p and "Bad-Name" in p for p in problems), problems


def test_unknown_target_node_and_flow(bot_folder: BotWriter) -> None:
    flow = GOOD_MAIN.replace(
        "      - to: END", "      - when: text\n        to: nowhere\n      - to: other.node"
    )
    problems = errors_of(bot_folder({"flows/main.flow.yml": flow, **GREETING}))
    assert any(
        p.endswith(":8: unknown target 'nowhere': not a node of flow 'main', END or RETURN")
        for p in problems
    ), problems
    assert any(":9: unknown flow 'other'" in p for p in problems), problems


def test_unknown_called_flow(bot_folder: BotWriter) -> None:
    flow = "start: a\nnodes:\n  a:\n    call: nope\n"
    (problem,) = errors_of(bot_folder({"flows/main.flow.yml": flow}))
    assert problem.endswith("main.flow.yml:3: node 'a' calls unknown flow 'nope'")


def test_unknown_content_id(bot_folder: BotWriter) -> None:
    (problem,) = errors_of(bot_folder({"flows/main.flow.yml": GOOD_MAIN}))
    assert problem.endswith("main.flow.yml:5: unknown content element 'greeting'")


def test_unknown_action(bot_folder: BotWriter) -> None:
    flow = GOOD_MAIN.replace("      - say: greeting", "      - do: charge")
    actions = "from workbench import action\n\n@action\ndef refund(ctx):\n    return None\n"
    (problem,) = errors_of(bot_folder({"flows/main.flow.yml": flow, "actions.py": actions}))
    assert problem.endswith("main.flow.yml:5: unknown action 'charge' (known: refund)")


def test_condition_that_does_not_parse(bot_folder: BotWriter) -> None:
    flow = GOOD_MAIN.replace("      - to: END", "      - when: state.x ==\n        to: END")
    (problem,) = errors_of(bot_folder({"flows/main.flow.yml": flow, **GREETING}))
    assert ":7: bad condition 'state.x =='" in problem


def test_condition_with_a_sandbox_escape(bot_folder: BotWriter) -> None:
    flow = GOOD_MAIN.replace("      - to: END", "      - when: text.__class__\n        to: END")
    (problem,) = errors_of(bot_folder({"flows/main.flow.yml": flow, **GREETING}))
    assert ":7: bad condition" in problem


def test_template_that_does_not_parse(bot_folder: BotWriter) -> None:
    flow = GOOD_MAIN.replace("      - say: greeting", '      - set: {x: "{{ state.y "}')
    (problem,) = errors_of(bot_folder({"flows/main.flow.yml": flow}))
    assert ":5: bad template" in problem


def test_bad_inline_element(bot_folder: BotWriter) -> None:
    flow = GOOD_MAIN.replace("      - say: greeting", "      - say: {type: choice, text: Hi}")
    (problem,) = errors_of(bot_folder({"flows/main.flow.yml": flow}))
    assert ":5: inline element: field 'choices'" in problem


def test_instruction_with_two_kinds(bot_folder: BotWriter) -> None:
    flow = GOOD_MAIN.replace("      - say: greeting", "      - say: greeting\n        do: x")
    (problem,) = errors_of(bot_folder({"flows/main.flow.yml": flow, **GREETING}))
    assert ":5:" in problem and "exactly one of 'say', 'set' or 'do'" in problem


def test_missing_main_flow(bot_folder: BotWriter) -> None:
    problems = errors_of(bot_folder({"flows/other.flow.yml": GOOD_MAIN, **GREETING}))
    assert any("no 'main' flow" in p for p in problems), problems


def test_start_node_must_exist(bot_folder: BotWriter) -> None:
    flow = GOOD_MAIN.replace("start: hello", "start: nope")
    (problem,) = errors_of(bot_folder({"flows/main.flow.yml": flow, **GREETING}))
    assert problem.endswith("main.flow.yml:1: start node 'nope' is not a node of this flow")


def test_bad_bot_yml(bot_folder: BotWriter) -> None:
    folder = bot_folder(
        {"bot.yml": "name: t\ncolour: blue\n", "flows/main.flow.yml": GOOD_MAIN, **GREETING}
    )
    (problem,) = errors_of(folder)
    assert problem.endswith("bot.yml:2: unknown key 'colour'")


def test_not_a_bot_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A path that is no bot folder is named as given, with no line number to point at."""
    flow = tmp_path / "pizza" / "flows" / "main.flow.yml"
    flow.parent.mkdir(parents=True)
    flow.write_text(GOOD_MAIN)
    (tmp_path / "pizza" / "bot.yml").write_text("name: pizza\n")
    monkeypatch.chdir(tmp_path)
    assert errors_of(Path("piza")) == ["piza: no such bot folder"]
    held = "not a bot folder (a bot folder holds bot.yml)"
    assert errors_of(Path("pizza/flows/main.flow.yml")) == [f"pizza/flows/main.flow.yml: {held}"]
    assert errors_of(Path("pizza/flows")) == [f"pizza/flows: {held}"]


def test_content_errors(bot_folder: BotWriter) -> None:
    content = (
        "greeting: Hi\nask:\n  type: choice\n  text: Pick\n  choices: []\npic:\n  type: video\n"
    )
    problems = errors_of(
        bot_folder({"flows/main.flow.yml": GOOD_MAIN, "content/messages.yml": content})
    )
    # the line of the field itself
    assert any("messages.yml:5:" in p and "'ask'" in p and "'choices'" in p for p in problems)
    assert any("messages.yml:6:" in p and "unknown type 'video'" in p for p in problems)


def test_duplicate_content_across_files(bot_folder: BotWriter) -> None:
    folder = bot_folder(
        {
            "flows/main.flow.yml": GOOD_MAIN,
            "content/a.yml": "greeting: A\n",
            "content/b.yml": "x: 1\ngreeting: B\n",
        }
    )
    (problem,) = errors_of(folder)
    assert "b.yml:2: duplicate element 'greeting'" in problem


def test_actions_py_that_fails_to_import(bot_folder: BotWriter) -> None:
    folder = bot_folder(
        {"flows/main.flow.yml": GOOD_MAIN, **GREETING, "actions.py": "import os\n\nx = 1 +\n"}
    )
    (problem,) = errors_of(folder)
    assert "actions.py:3: actions.py failed to import: SyntaxError" in problem


def test_all_problems_are_reported_together(bot_folder: BotWriter) -> None:
    """The acceptance case: a bad condition, an unknown target and a missing element."""
    flow = """start: a
nodes:
  a:
    on_enter:
      - say: missing_element
    next:
      - when: state.x >>> 2
        to: b
      - to: nowhere
  b:
    next: [{to: END}]
"""
    problems = errors_of(bot_folder({"flows/main.flow.yml": flow}))
    assert len(problems) == 3, problems
    lines = sorted(int(p.split(": ")[0].rsplit(":", 1)[1]) for p in problems)
    assert lines == [5, 7, 9]
    text = "\n".join(problems)
    assert "bad condition 'state.x >>> 2'" in text
    assert "unknown target 'nowhere'" in text
    assert "unknown content element 'missing_element'" in text
