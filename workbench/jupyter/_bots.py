"""What the API does with bot folders: graphs and lint, conversations with their trace, tests,
new bots and saved flows. Synchronous: the handlers run it in one worker thread."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict

import yaml

from workbench.cli._new import scaffold
from workbench.flows import FLOW_SUFFIX
from workbench.jupyter._paths import BotInfo, PathError, bot_folder, inside_root, relative
from workbench.notebook import cytoscape_style, graph_elements, trace_path
from workbench.notebook._graph_elements import GraphElements
from workbench.runtime import Bot, TurnTraceJSON, read_folder
from workbench.schema import BotError, Problem, ReplyJSON
from workbench.stores import MemoryStore
from workbench.testing import find_convo_files, run_folder_tests

__all__ = ["BotService", "ProblemJSON", "TestsJSON"]

NAME = re.compile(r"[a-z][a-z0-9_]*")
FAILURE = re.compile(r"(?P<file>[^:]+):(?P<line>\d+): (?P<text>.*)", re.S)


class ProblemJSON(TypedDict):
    file: str
    line: int | None
    message: str
    severity: str


class GraphJSON(TypedDict):
    flows: dict[str, GraphElements]
    lint: list[ProblemJSON]
    style: list[dict[str, Any]]


class TurnJSON(TypedDict):
    replies: list[ReplyJSON]
    trace: TurnTraceJSON | None
    path: list[str]
    node: str | None


class FailureJSON(TypedDict):
    file: str
    line: int
    text: str


class ResultJSON(TypedDict):
    name: str
    file: str
    line: int
    passed: bool
    failures: list[FailureJSON]


class TestsJSON(TypedDict):
    results: list[ResultJSON]
    passed: int
    failed: int
    summary: str
    problems: list[ProblemJSON]


@dataclass
class _Loaded:
    bot: Bot
    signature: Signature


Signature = tuple[tuple[str, int, int], ...]


def _signature(folder: Path, *, content: bool = False) -> Signature:
    """What a change of the bot looks like: bot.yml, the flows, the NLU data, actions.py and,
    with ``content``, the content files (a loaded bot re-reads those itself). Other files (the
    flow editor's ``*.flow.ui.json`` layouts, tests) change nothing."""
    paths = [folder / "bot.yml", folder / "actions.py"]
    patterns = [("flows", "*.flow.yml"), ("nlu", "*.yml")] + ([("content", "*.yml")] * content)
    for sub, pattern in patterns:
        paths += sorted((folder / sub).glob(pattern))
    stats = []
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            continue
        stats.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(stats)


class BotService:
    """The bots under one server root. Bots are loaded on first use and again when their
    files change; conversations live in each bot's own store, as everywhere else."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._bots: dict[Path, _Loaded] = {}
        self._graphs: dict[Path, tuple[Signature, GraphJSON]] = {}

    # --- helpers ------------------------------------------------------------------------
    def problem(self, problem: Problem) -> ProblemJSON:
        """A problem with its file relative to the server root (as the front end opens it)."""
        file = problem.file
        if file and problem.line is not None:
            absolute = Path(file) if os.path.isabs(file) else Path(os.path.abspath(file))
            try:
                file = relative(self.root, absolute)
            except ValueError:
                pass
        return ProblemJSON(
            file=file, line=problem.line, message=problem.message, severity=problem.severity
        )

    def bot(self, path: str) -> Bot:
        """The loaded bot at ``path``; a folder that does not load raises :class:`BotError`."""
        folder = bot_folder(self.root, path)
        signature = _signature(folder)
        loaded = self._bots.get(folder)
        if loaded is None or loaded.signature != signature:
            loaded = _Loaded(Bot.load(folder), signature)
            self._bots[folder] = loaded
        return loaded.bot

    def folder(self, path: str) -> Path:
        return bot_folder(self.root, path)

    # --- the routes ---------------------------------------------------------------------
    def graph(self, path: str) -> GraphJSON:
        """The flows' graphs and the lint problems (kept until a file of the bot changes)."""
        folder = bot_folder(self.root, path)
        signature = _signature(folder, content=True)
        cached = self._graphs.get(folder)
        if cached is not None and cached[0] == signature:
            return cached[1]
        graph = self._graph(folder)
        self._graphs[folder] = (signature, graph)
        return graph

    def _graph(self, folder: Path) -> GraphJSON:
        style = cytoscape_style()
        try:
            compiled = read_folder(folder)
        except BotError as exc:
            return GraphJSON(flows={}, lint=[self.problem(p) for p in exc.problems], style=style)
        flows = compiled.program.flows
        graphs = {name: graph_elements(flows, name, positions=True) for name in flows.flows}
        return GraphJSON(
            flows=graphs, lint=[self.problem(p) for p in compiled.warnings], style=style
        )

    def say(self, path: str, cid: str, body: dict[str, Any]) -> TurnJSON:
        bot = self.bot(path)
        language = body.get("language") or None
        if language is not None and language not in bot.settings.languages:
            known = ", ".join(bot.settings.languages)
            raise PathError(400, f"the bot does not speak {language!r} (it speaks {known})")
        user_id = str(body.get("user_id") or cid)
        conversation = bot.conversation(user_id=user_id, conversation_id=cid, language=language)
        payload = body.get("payload")
        replies = conversation.say(
            str(body.get("text", "")), payload if isinstance(payload, dict) else None
        )
        trace = conversation.last_trace
        return TurnJSON(
            replies=[reply.to_json() for reply in replies],
            trace=None if trace is None else trace.to_json(),
            path=[] if trace is None else trace_path(trace),
            node=conversation.node,
        )

    def reset(self, path: str, cid: str) -> None:
        self.bot(path).conversation(conversation_id=cid).reset()

    def create(self, path: str) -> BotInfo:
        folder = inside_root(self.root, path)
        try:
            name = scaffold(folder)
        except FileExistsError:
            raise PathError(409, f"{path!r} already exists and is not empty") from None
        flows = sorted(
            p.name.removesuffix(FLOW_SUFFIX) for p in folder.glob(f"flows/*{FLOW_SUFFIX}")
        )
        return BotInfo(name=name, path=relative(self.root, folder), languages=["en"], flows=flows)

    def save_flow(self, path: str, name: str, text: str) -> GraphJSON:
        """Write ``flows/NAME.flow.yml`` (text that is not YAML is refused, nothing written)."""
        folder = bot_folder(self.root, path)
        if not NAME.fullmatch(name):
            raise PathError(400, f"{name!r} is not a flow name ([a-z][a-z0-9_]*)")
        try:
            yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise PathError(422, f"flows/{name}{FLOW_SUFFIX} is not valid YAML: {exc}") from None
        target = folder / "flows" / f"{name}{FLOW_SUFFIX}"
        target.parent.mkdir(exist_ok=True)
        target.write_text(text, encoding="utf-8")
        return self.graph(path)

    def tests(self, path: str) -> TestsJSON:
        folder = bot_folder(self.root, path)
        display = relative(self.root, folder)
        try:
            bot = Bot.load(folder, store=MemoryStore())
            results = run_folder_tests(bot, find_convo_files(folder), display)
        except BotError as exc:
            problems = [self.problem(p) for p in exc.problems]
            return TestsJSON(results=[], passed=0, failed=0, summary="", problems=problems)
        rows = [
            ResultJSON(
                name=r.name,
                file=r.file,
                line=r.line,
                passed=r.passed,
                failures=[_failure(text, r.file, r.line) for text in r.failures],
            )
            for r in results
        ]
        failed = sum(not r.passed for r in results)
        passed = len(results) - failed
        return TestsJSON(
            results=rows,
            passed=passed,
            failed=failed,
            summary=f"{passed} passed, {failed} failed",
            problems=[],
        )


def _failure(text: str, file: str, line: int) -> FailureJSON:
    """``file:line: what`` split (a failure without a place points at its test)."""
    match = FAILURE.fullmatch(text)
    if match is None:
        return FailureJSON(file=file, line=line, text=text)
    return FailureJSON(file=match["file"], line=int(match["line"]), text=match["text"])
