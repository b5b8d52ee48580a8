"""What a bot is made of, before compiling: read from a folder, or built up in a notebook.

A :class:`BotSource` is immutable; editing a bot makes a new source and compiles it whole, so a
mistake never leaves a half-updated bot behind (the old one keeps running).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from workbench.config import BotSettings, load_yaml, validate
from workbench.content import ContentLibrary, FileCache, Renderer, load_content, load_types
from workbench.engine import Program
from workbench.flows import build_flow_set, check_references, lint_flows, read_flow_files
from workbench.nlu import NLUData, load_nlu_data, load_nlu_languages
from workbench.runtime._actions import (
    ActionFn,
    collect_actions,
    collect_renderers,
    load_actions,
)
from workbench.schema import BotError, Problem

T = TypeVar("T")


@dataclass(frozen=True)
class BotSource:
    """The parts of a bot. ``flows`` maps a flow name to its YAML data and the file it is in."""

    settings: BotSettings
    flows: dict[str, tuple[Any, str]] = field(default_factory=dict)
    content: ContentLibrary = field(default_factory=ContentLibrary)
    nlu: NLUData = field(default_factory=NLUData)
    """The NLU data of the first language (``nlu/intents.yml``)."""
    nlu_languages: dict[str, NLUData] = field(default_factory=dict)
    """The NLU data of other languages (``nlu/intents.<lang>.yml``), by language."""
    nlu_warnings: tuple[Problem, ...] = ()
    """What reading the NLU files found suspicious (a language without data, ...)."""
    actions: dict[str, ActionFn] = field(default_factory=dict)
    renderers: dict[str, Renderer] = field(default_factory=dict)
    """Content type -> its ``@renderer`` in ``actions.py``."""
    actions_code: str | None = None
    """The text of ``actions.py`` when the bot came from a folder (``save`` copies it)."""
    added_actions: tuple[str, ...] = ()
    """Actions registered from Python (a notebook) rather than read from ``actions.py``."""
    in_memory: bool = False
    """Built in a notebook: a missing ``main`` flow is allowed until someone talks to it."""

    def but(self, **changes: Any) -> BotSource:
        return replace(self, **changes)


@dataclass
class CompiledBot:
    """A source, compiled and checked: what a :class:`Bot` runs."""

    source: BotSource
    program: Program
    warnings: list[Problem]


def _guard(problems: list[Problem], fn: Callable[..., T], *args: Any) -> T | None:
    try:
        return fn(*args)
    except BotError as exc:
        problems += exc.problems
        return None


def display_name(folder: Path) -> str:
    """The folder as users wrote it: relative to the working directory when inside it."""
    try:
        relative = os.path.relpath(folder)
    except ValueError:
        return str(folder)
    return str(folder) if relative.startswith("..") else relative


def read_source(folder: Path, display: str, files: FileCache | None = None) -> BotSource:
    """Read every file of a bot folder; raises :class:`BotError` listing all problems."""
    if not folder.exists():
        raise BotError([Problem(display, None, "no such bot folder")])
    if not (folder / "bot.yml").is_file():
        raise BotError([Problem(display, None, "not a bot folder (a bot folder holds bot.yml)")])
    problems: list[Problem] = []
    raw = _guard(problems, load_yaml, folder / "bot.yml", f"{display}/bot.yml")
    settings = _guard(problems, validate, BotSettings, raw or {}, f"{display}/bot.yml")
    nlu = _guard(problems, load_nlu_data, folder, display)
    languages = None
    if settings is not None and nlu is not None:
        languages = _guard(problems, load_nlu_languages, folder, display, settings.languages, nlu)
    module = _guard(problems, load_actions, folder, display)
    renderers = collect_renderers(module or {})
    types, type_problems = load_types(folder, display, renderers)
    content, content_problems = load_content(folder, display, types, files)
    flows, flow_problems = read_flow_files(folder, display)
    problems += type_problems + content_problems + flow_problems
    if problems or settings is None or nlu is None or languages is None or module is None:
        raise BotError(problems)
    code_path = folder / "actions.py"
    code = code_path.read_text(encoding="utf-8") if code_path.exists() else None
    actions = collect_actions(module)
    nlu_languages, nlu_warnings = languages
    return BotSource(
        settings,
        flows,
        content,
        nlu,
        actions=actions,
        renderers=renderers,
        actions_code=code,
        nlu_languages=nlu_languages,
        nlu_warnings=tuple(nlu_warnings),
    )


def compile_source(source: BotSource, *, missing_content_ok: bool = False) -> CompiledBot:
    """Compile flows and check every reference; raises :class:`BotError` with all problems.

    ``missing_content_ok``: a ``say`` of an element that no longer exists is a warning, not an
    error (content changed under a running bot, e.g. an element deleted with ``force``: the
    bot goes on, and a turn that reaches that ``say`` fails, naming the element).
    """
    flows, problems = build_flow_set(source.flows, require_main=not source.in_memory)
    program = None
    if flows is not None:
        program, inline_problems = Program.build(flows, source.content)
        problems += inline_problems
        references = check_references(flows, source.content.ids(), set(source.actions))
        if missing_content_ok:
            references = [_warning(p) if "content element" in p.message else p for p in references]
        problems += references
    errors = [p for p in problems if p.severity == "error"]
    if errors or program is None:
        raise BotError(errors or problems)
    warnings = [p for p in problems if p.severity == "warning"] + list(source.nlu_warnings)
    if "main" in program.flows.flows:
        unused = {e.id: (e.file, e.line) for e in source.content if e.id != "turn_error"}
        warnings += lint_flows(program.flows, unused)
    return CompiledBot(source, program, warnings)


def _warning(problem: Problem) -> Problem:
    message = f"{problem.message}: a turn that says it fails until it exists"
    return Problem(problem.file, problem.line, message, "warning")


def reload_content(
    folder: Path, source: BotSource, cache: FileCache | None = None
) -> ContentLibrary:
    """The content of ``folder`` read again (files unchanged since ``cache`` was filled are not
    read again), with the types (and renderers) of ``source``; raises :class:`BotError`
    listing every problem."""
    display = display_name(folder)
    types, problems = load_types(folder, display, source.renderers)
    content, content_problems = load_content(folder, display, types, cache)
    problems += content_problems
    if problems:
        raise BotError(problems)
    return content
