"""Hostile bot files: deep nesting, alias bombs, bytes that are not UTF-8, huge values.

Each one is a :class:`BotError` naming the file and the line, found quickly and in little memory,
whose message never holds the whole value (issue 23).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import workbench as wb
from tests.conftest import BotWriter
from workbench.config import parse_yaml
from workbench.config._yaml import ALIAS_BUDGET, MAX_DEPTH
from workbench.schema import BotError, Problem

FLOW = "start: a\nnodes:\n  a:\n    next: []\n"


def bomb(levels: int, indent: str) -> str:
    """Nine aliases to nine aliases, ``levels`` times: 9 ** levels values from a few lines."""
    lines = [f"{indent}a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, levels):
        lines.append(f"{indent}a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def _only_problem(folder: Path) -> Problem:
    with pytest.raises(BotError) as caught:
        wb.Bot.load(folder, db="memory://")
    assert len(caught.value.problems) == 1, caught.value
    return caught.value.problems[0]


@pytest.mark.parametrize(
    "next_value",
    [
        "[" * 300 + "]" * 300,
        "[" * 5000 + "]" * 5000,
        "\n" + "".join("  " * i + "      - x:\n" for i in range(300)),
        "\n" + "".join("  " * i + "      k:\n" for i in range(300)),
    ],
    ids=["flow-300", "flow-5000", "block-lists", "block-maps"],
)
def test_deep_nesting_is_an_error_at_its_line(bot_folder: BotWriter, next_value: str) -> None:
    folder = bot_folder(
        {"flows/main.flow.yml": f"start: a\nnodes:\n  a:\n    next: {next_value}\n"}
    )
    problem = _only_problem(folder)
    assert problem.file.endswith("flows/main.flow.yml")
    assert problem.line is not None and problem.line >= 4
    assert f"nested more than {MAX_DEPTH} levels deep" in problem.message


def test_lint_reports_deep_nesting_without_a_traceback(bot_folder: BotWriter) -> None:
    flow = "start: a\nnodes:\n  a:\n    next: " + "[" * 300 + "]" * 300 + "\n"
    folder = bot_folder({"flows/main.flow.yml": flow})
    run = subprocess.run(
        [sys.executable, "-m", "workbench", "lint", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    assert "main.flow.yml:4: invalid YAML: nested more than" in run.stdout
    assert "Traceback" not in run.stdout + run.stderr


def test_nesting_up_to_the_limit_loads() -> None:
    data = parse_yaml("v: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n", "f.yml")
    depth, value = 0, data["v"]
    while isinstance(value, list) and value:
        depth, value = depth + 1, value[0]
    assert depth == MAX_DEPTH - 2


def test_an_alias_bomb_in_a_content_type_is_refused_at_its_line(bot_folder: BotWriter) -> None:
    content = "el:\n  type:\n" + bomb(8, "    ")
    folder = bot_folder({"flows/main.flow.yml": FLOW, "content/x.yml": content})
    problem = _only_problem(folder)
    assert problem.file.endswith("content/x.yml")
    assert 3 <= (problem.line or 0) <= 10
    assert "aliases (*name) expand this value" in problem.message
    assert len(str(problem)) < 300


def test_an_alias_bomb_in_a_set_value_is_refused_at_its_line(bot_folder: BotWriter) -> None:
    flow = "start: a\nnodes:\n  a:\n    on_enter:\n      - set:\n          v:\n"
    folder = bot_folder({"flows/main.flow.yml": flow + bomb(8, "            ")})
    problem = _only_problem(folder)
    assert problem.file.endswith("flows/main.flow.yml")
    assert 7 <= (problem.line or 0) <= 14
    assert f"at most {ALIAS_BUDGET:,}" in problem.message


def test_a_few_aliases_still_load() -> None:
    data = parse_yaml("base: &b {a: 1, b: [1, 2]}\none: *b\ntwo: *b\n", "f.yml")
    assert data["one"] == data["two"] == {"a": 1, "b": [1, 2]}


def test_an_alias_inside_itself_is_an_error() -> None:
    with pytest.raises(BotError, match=r"f\.yml:1: invalid YAML"):
        parse_yaml("a: &n [*n]\n", "f.yml")


def test_invalid_utf8_names_the_line_and_column(bot_folder: BotWriter) -> None:
    folder = bot_folder({"flows/main.flow.yml": FLOW})
    (folder / "content").mkdir()
    (folder / "content" / "x.yml").write_bytes(b"hello: world\nbad: \xff\xfe\n")
    problem = _only_problem(folder)
    assert str(problem).endswith(
        "content/x.yml:2: not UTF-8: byte 0xff at column 6 cannot be decoded; save as UTF-8"
    )


def test_a_huge_value_is_cut_short_in_the_message(bot_folder: BotWriter) -> None:
    content = "el:\n  type: [" + ", ".join(["abcdefghij"] * 5000) + "]\n"
    folder = bot_folder({"flows/main.flow.yml": FLOW, "content/x.yml": content})
    problem = _only_problem(folder)
    assert "unknown type" in problem.message
    assert len(problem.message) < 400


def test_a_problem_about_a_whole_file_says_so() -> None:
    assert str(Problem("f.yml", 0, "never called")) == "f.yml:1: never called (file-level)"
    assert str(Problem("f.yml", 3, "bad")) == "f.yml:3: bad"
    assert len(Problem("f.yml", 3, "x" * 100_000).message) <= 1_000


def test_a_number_too_long_for_python_is_an_error_at_its_line() -> None:
    with pytest.raises(BotError, match=r"f\.yml:2: invalid YAML: number too long"):
        parse_yaml("a: 1\nb: " + "9" * 5000 + "\n", "f.yml")
