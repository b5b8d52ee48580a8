"""Loading the flows of a bot folder (or of YAML texts) into a :class:`FlowSet`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from workbench.config import NAME_PATTERN, load_yaml, parse_yaml
from workbench.flows._compile import check_targets, compile_flow, flow_set
from workbench.flows._model import Flow, FlowSet
from workbench.flows._spec import FlowSpec
from workbench.schema import BotError, Problem

FLOW_SUFFIX = ".flow.yml"
MAIN = "main"


def _plain(data: Any) -> Any:
    """The spec's canonical JSON form (defaults dropped), which the version hash is taken of."""
    return FlowSpec.model_validate(data).model_dump(mode="json", exclude_defaults=True)


def build_flow_set(
    raws: Mapping[str, tuple[Any, str]], *, require_main: bool = True
) -> tuple[FlowSet | None, list[Problem]]:
    """Compile flows given as ``name -> (yaml data, file name)``; every problem is collected.

    The flow set holds the flows that compiled, even when others had errors, so the caller can
    go on checking references and report everything at once; it must not run with errors.
    """
    problems: list[Problem] = []
    flows: dict[str, Flow] = {}
    specs: dict[str, Any] = {}
    for name, (raw, file) in sorted(raws.items()):
        if not re.match(NAME_PATTERN, name):
            problems.append(Problem(file, 0, f"bad flow name {name!r}: use [a-z][a-z0-9_]*"))
            continue
        flow, found = compile_flow(name, raw, file)
        problems += found
        if flow is not None:
            flows[name] = flow
            specs[name] = _plain(raw)
    if require_main and MAIN not in raws:
        where = next(iter(raws.values()))[1] if raws else "flows/"
        problems.append(Problem(where, 0, "the bot has no 'main' flow (flows/main.flow.yml)"))
    if len(flows) == len(raws):
        problems += check_targets(flows)
    if not flows and raws:
        return None, problems
    return flow_set(flows, specs), problems


def read_flow_files(folder: Path, display: str) -> tuple[dict[str, tuple[Any, str]], list[Problem]]:
    """The YAML data of ``folder/flows/*.flow.yml`` by flow name, with each file's name."""
    raws: dict[str, tuple[Any, str]] = {}
    problems: list[Problem] = []
    for path in sorted((folder / "flows").glob(f"*{FLOW_SUFFIX}")):
        file = f"{display}/flows/{path.name}"
        try:
            raws[path.name[: -len(FLOW_SUFFIX)]] = (load_yaml(path, file), file)
        except BotError as exc:
            problems += exc.problems
    return raws, problems


def load_flow_files(folder: Path, display: str) -> tuple[FlowSet | None, list[Problem]]:
    """Load ``folder/flows/*.flow.yml``; file names in problems start with ``display``."""
    raws, problems = read_flow_files(folder, display)
    if problems:
        return None, problems
    return build_flow_set(raws)


def flow_set_from_texts(texts: Mapping[str, str]) -> FlowSet:
    """Compile flows written as YAML text (notebook cells); raises :class:`BotError`."""
    raws = {
        name: (parse_yaml(text, f"<flow {name}>"), f"<flow {name}>") for name, text in texts.items()
    }
    return _or_raise(*build_flow_set(raws))


def flow_set_from_definition(definition: Mapping[str, Any], version: str) -> FlowSet:
    """Rebuild the flows a session was pinned to, from the definition a store kept."""
    file = f"<flows version {version}>"
    raws = {name: (spec, file) for name, spec in definition["flows"].items()}
    return _or_raise(*build_flow_set(raws))


def _or_raise(flows: FlowSet | None, problems: list[Problem]) -> FlowSet:
    errors = [p for p in problems if p.severity == "error"]
    if flows is None or errors:
        raise BotError(errors or problems)
    return flows
