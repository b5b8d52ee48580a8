"""Reading a whole bot folder, collecting every problem before giving up."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from workbench.config import BotSettings, load_yaml, validate
from workbench.content import ContentLibrary, load_content
from workbench.engine import Program
from workbench.flows import FlowSet, check_references, lint_flows, load_flow_files
from workbench.nlu import NLUData, load_nlu_data
from workbench.runtime._actions import ActionFn, load_actions
from workbench.schema import BotError, Problem

T = TypeVar("T")


@dataclass
class BotFolder:
    """Everything a bot folder defines, validated."""

    settings: BotSettings
    program: Program
    nlu: NLUData
    actions: dict[str, ActionFn]
    warnings: list[Problem] = field(default_factory=list)

    @property
    def flows(self) -> FlowSet:
        return self.program.flows

    @property
    def content(self) -> ContentLibrary:
        return self.program.content


def display_name(folder: Path) -> str:
    """The folder as users wrote it: relative to the working directory when inside it."""
    try:
        relative = os.path.relpath(folder)
    except ValueError:
        return str(folder)
    return str(folder) if relative.startswith("..") else relative


def _settings(folder: Path, display: str) -> BotSettings:
    raw = load_yaml(folder / "bot.yml", f"{display}/bot.yml")
    return validate(BotSettings, raw or {}, f"{display}/bot.yml")


def _guard(problems: list[Problem], fn: Callable[..., T], *args: Any) -> T | None:
    try:
        return fn(*args)
    except BotError as exc:
        problems += exc.problems
        return None


def read_folder(folder: Path) -> BotFolder:
    """Load and check a bot folder; raises :class:`BotError` listing every error found."""
    display = display_name(folder)
    if not folder.is_dir():
        raise BotError([Problem(display, 0, "no such bot folder")])
    problems: list[Problem] = []
    if not (folder / "bot.yml").exists():
        raise BotError([Problem(f"{display}/bot.yml", 0, "not a bot folder: bot.yml is missing")])
    settings = _guard(problems, _settings, folder, display)
    nlu = _guard(problems, load_nlu_data, folder, display)
    actions = _guard(problems, load_actions, folder, display)
    content, content_problems = load_content(folder, display)
    flows, flow_problems = load_flow_files(folder, display)
    problems += content_problems + flow_problems
    program = None
    if flows is not None:
        program, inline_problems = Program.build(flows, content)
        names = set(actions) if actions is not None else None
        problems += inline_problems + check_references(flows, content.ids(), names)
    errors = [p for p in problems if p.severity == "error"]
    if errors or program is None or settings is None or nlu is None or actions is None:
        raise BotError(errors or problems)
    unused = {e.id: (e.file, e.line) for e in content if e.id != "turn_error"}
    warnings = lint_flows(program.flows, unused)
    return BotFolder(settings, program, nlu, actions, warnings)
