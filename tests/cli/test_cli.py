"""The command line as users run it: a real subprocess, stdin from a pipe."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_BOTS, BotWriter


def workbench(
    *args: str, stdin: str = "", cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def test_chat_json_prints_one_object_per_reply(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/chat.db"
    run = workbench("chat", str(SAMPLE_BOTS / "pizza"), "--json", "--db", db, stdin="hi\nlarge\n")
    assert run.returncode == 0, run.stderr
    replies = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(replies) == 3
    assert all(set(r) >= {"type", "text", "choices"} for r in replies)
    assert replies[1]["type"] == "choice"
    assert [c["value"] for c in replies[1]["choices"]] == ["small", "medium", "large"]
    assert replies[2]["text"].startswith("Which toppings?")
    assert (tmp_path / "chat.db").exists()


def test_chat_plain_text_numbers_choices_and_takes_a_number(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/chat.db"
    run = workbench("chat", str(SAMPLE_BOTS / "pizza"), "--db", db, stdin="hi\n2\nnone\n")
    assert run.returncode == 0, run.stderr
    assert "  1. Small\n  2. Medium\n  3. Large" in run.stdout
    assert "A medium pizza with no toppings: $10.00" in run.stdout


def test_chat_with_a_user_remembers_across_runs(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/chat.db"
    order = "a large pizza\nnone\nyes\ncash\n"
    first = workbench("chat", str(SAMPLE_BOTS / "pizza"), "--user", "bo", "--db", db, stdin=order)
    assert "on its way" in first.stdout, first.stderr
    again = workbench("chat", str(SAMPLE_BOTS / "pizza"), "--user", "bo", "--db", db, stdin="hi\n")
    assert "Good to see you again" in again.stdout or "Welcome back" in again.stdout


@pytest.mark.parametrize("bot", ["pizza", "support", "survey"])
def test_every_sample_bot_passes_its_tests(bot: str) -> None:
    run = workbench("test", str(SAMPLE_BOTS / bot))
    assert run.returncode == 0, run.stdout + run.stderr
    last = run.stdout.strip().splitlines()[-1]
    passed, failed = last.split(", ")
    assert passed.endswith(" passed") and int(passed.split()[0]) > 0
    assert failed == "0 failed"
    assert "nodes covered" in run.stdout and "missed" not in run.stdout


def test_a_failing_convo_test_exits_1(bot_folder: BotWriter) -> None:
    folder = bot_folder(
        {
            "flows/main.flow.yml": "start: a\nnodes:\n  a:\n    on_enter: [{say: {text: Hi}}]\n",
            "tests/a.convo.yml": "- name: wrong\n  turns:\n    - user: x\n      bot: [Hello]\n",
        }
    )
    run = workbench("test", str(folder))
    assert run.returncode == 1
    assert "a.convo.yml:3: turn 1 'x': reply 1: expected 'Hello', got 'Hi'" in run.stdout
    assert run.stdout.strip().endswith("0 passed, 1 failed")


def test_lint_reports_three_errors_without_traceback(bot_folder: BotWriter) -> None:
    flow = (
        "start: a\nnodes:\n  a:\n    on_enter:\n      - say: missing_element\n"
        "    next:\n      - when: state.x >>> 2\n        to: a\n      - to: nowhere\n"
    )
    folder = bot_folder({"flows/main.flow.yml": flow})
    run = workbench("lint", str(folder))
    assert run.returncode == 1
    lines = [line for line in run.stdout.splitlines() if line.strip()]
    assert len(lines) == 3, run.stdout
    file = f"{folder}/flows/main.flow.yml"
    assert sorted(line.split(": ")[0] for line in lines) == [f"{file}:5", f"{file}:7", f"{file}:9"]
    assert "Traceback" not in run.stdout + run.stderr
    assert run.stderr.strip() == "3 errors, 0 warnings"


def test_a_path_that_is_no_bot_folder_is_named_without_a_line(tmp_path: Path) -> None:
    (tmp_path / "sample_bots").symlink_to(SAMPLE_BOTS)
    for command in (["chat"], ["test"], ["simulate", "-n", "1"]):
        missing = workbench(*command, "sample_bots/piza", cwd=tmp_path)
        assert (missing.returncode, missing.stderr) == (1, "sample_bots/piza: no such bot folder\n")
    flow = "sample_bots/pizza/flows/main.flow.yml"
    run = workbench("lint", flow, cwd=tmp_path)
    assert run.returncode == 1
    assert run.stdout == f"{flow}: not a bot folder (a bot folder holds bot.yml)\n"
    assert run.stderr == "1 error, 0 warnings\n"


def test_lint_warnings(bot_folder: BotWriter) -> None:
    main = """start: a
nodes:
  a:
    on_enter: [{say: hello}]
    on_receive: []
  lonely:
    next: [{to: END}]
"""
    folder = bot_folder(
        {
            "flows/main.flow.yml": main,
            "flows/spare.flow.yml": main,
            "content/m.yml": "hello: Hi\nunused: Never said\n",
        }
    )
    run = workbench("lint", str(folder))
    assert run.returncode == 0, run.stdout
    out = run.stdout
    assert "main.flow.yml:6: warning: node 'lonely' is unreachable" in out
    assert "main.flow.yml:3: warning: node 'a' is a dead end" in out
    assert "spare.flow.yml:1: warning: flow 'spare' is never called (file-level)" in out
    assert "m.yml:2: warning: content 'unused' is never used" in out


def test_lint_of_the_sample_bots_is_clean() -> None:
    for bot in ("pizza", "support", "survey"):
        run = workbench("lint", str(SAMPLE_BOTS / bot))
        assert run.returncode == 0 and run.stdout.strip() == "", (bot, run.stdout)


def test_a_bad_bot_is_an_error_not_a_traceback(bot_folder: BotWriter) -> None:
    folder = bot_folder({"flows/main.flow.yml": "start: [\n"})
    run = workbench("chat", str(folder), stdin="hi\n")
    assert run.returncode == 1
    assert "main.flow.yml:" in run.stderr and "invalid YAML" in run.stderr
    assert "Traceback" not in run.stderr


def test_new_scaffolds_a_bot_that_passes_its_own_test(tmp_path: Path) -> None:
    run = workbench("new", "hello_bot", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    folder = tmp_path / "hello_bot"
    assert (folder / "bot.yml").read_text().startswith("name: hello_bot")
    tested = workbench("test", "hello_bot", cwd=tmp_path)
    assert tested.stdout.strip().endswith("1 passed, 0 failed"), tested.stdout + tested.stderr
    linted = workbench("lint", "hello_bot", cwd=tmp_path)
    assert linted.returncode == 0 and linted.stdout.strip() == "", linted.stdout
    again = workbench("new", "hello_bot", cwd=tmp_path)
    assert again.returncode == 1 and "already exists" in again.stderr


def test_a_store_that_cannot_open_is_one_line_before_any_turn(tmp_path: Path) -> None:
    """chat opens its store before it reads a message: a file that is no database, a folder
    that cannot be made, a server that refuses (its password hidden) are one line each."""
    (tmp_path / "bad.db").write_text("not a database\n")
    cases = {
        f"sqlite:///{tmp_path / 'bad.db'}": "file is not a database",
        f"sqlite:///{tmp_path / 'bad.db' / 'under' / 'x.db'}": "Not a directory",
        "postgresql://bob:s3cret@127.0.0.1:1/x": "bob:***@127.0.0.1:1/x",
    }
    for url, reason in cases.items():
        run = workbench("chat", str(SAMPLE_BOTS / "pizza"), "--db", url, stdin="hi\n")
        assert run.returncode == 1, (url, run.stdout, run.stderr)
        assert run.stdout == ""  # nothing was said: no turn ran
        [line] = run.stderr.splitlines()
        assert line.startswith("error: cannot open the store ") and reason in line, line
        assert "s3cret" not in run.stderr
