"""Bot files are parsed by libyaml when PyYAML has it; values, lines and errors are PyYAML's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from workbench.config import LineDict, LineList, parse_yaml
from workbench.config._yaml import _loaders
from workbench.schema import BotError

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "sample_bots").rglob("*.yml"))


def _shape(data: Any) -> Any:
    """Values with the lines of every mapping and sequence."""
    if isinstance(data, LineDict):
        return ("map", data.line, data.lines, {k: _shape(v) for k, v in data.items()})
    if isinstance(data, LineList):
        return ("seq", data.line, data.lines, [_shape(v) for v in data])
    return data


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_every_loader_gives_the_same_values_and_lines(path: Path) -> None:
    import yaml

    text = path.read_text(encoding="utf-8")
    shapes = [_shape(yaml.load(text, Loader=loader)) for loader in _loaders()]
    assert all(shape == shapes[-1] for shape in shapes)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: 1\na: 2\n", 2, "duplicate key 'a'"),
        ("a: [1, 2\nb: 3\n", 2, "invalid YAML"),
        ("a:\n  - x\n  y: 1\n", 3, "invalid YAML"),
    ],
)
def test_errors_name_pyyaml_lines(text: str, line: int, message: str) -> None:
    with pytest.raises(BotError) as caught:
        parse_yaml(text, "f.yml", first_line=1)
    problem = caught.value.problems[0]
    assert (problem.file, problem.line) == ("f.yml", line)
    assert message in problem.message


def test_yes_and_no_stay_strings() -> None:
    assert parse_yaml("choices: [yes, no, true]", "f.yml") == {"choices": ["yes", "no", True]}
