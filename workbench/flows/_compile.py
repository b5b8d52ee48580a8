"""From validated flow specs to a :class:`FlowSet`, collecting every problem with its line."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any, cast

from pydantic import ValidationError

from workbench.config import line_of, validation_problems
from workbench.expressions import ExpressionError, compile_template, parse_condition
from workbench.flows._model import (
    END,
    RETURN,
    Assignment,
    Flow,
    FlowSet,
    Instruction,
    Node,
    Scope,
    Transition,
)
from workbench.flows._spec import FlowSpec, InstructionSpec, NodeSpec, TransitionSpec
from workbench.schema import Problem, short_repr

_VARIABLE = re.compile(r"^(?:(state|user|bot)\.)?([a-z_][a-z0-9_]*)$")


class _Compiler:
    """Compiles one flow, remembering problems instead of stopping at the first."""

    def __init__(self, name: str, raw: Any, file: str) -> None:
        self.name = name
        self.raw = raw
        self.file = file
        self.problems: list[Problem] = []

    def problem(self, loc: tuple[int | str, ...], message: str) -> None:
        self.problems.append(Problem(self.file, line_of(self.raw, loc), message))

    def flow(self, spec: FlowSpec) -> Flow:
        if spec.start not in spec.nodes:
            self.problem(("start",), f"start node {spec.start!r} is not a node of this flow")
        nodes = {n: self.node(n, s) for n, s in spec.nodes.items()}
        catch_all: tuple[Transition, ...] = ()
        if spec.catch_all is not None:
            catch_all = self.transitions(spec.catch_all.next, ("catch_all", "next"))
        return Flow(
            name=self.name,
            start=spec.start,
            nodes=nodes,
            catch_all=catch_all,
            timeout=spec.timeout,
            timeout_line=line_of(self.raw, ("timeout",)),
            file=self.file,
            description=spec.description,
        )

    def node(self, name: str, spec: NodeSpec) -> Node:
        loc: tuple[int | str, ...] = ("nodes", name)
        on_receive = None
        if spec.on_receive is not None:
            on_receive = self.instructions(spec.on_receive, (*loc, "on_receive"))
        return Node(
            flow=self.name,
            name=name,
            on_enter=self.instructions(spec.on_enter, (*loc, "on_enter")),
            on_receive=on_receive,
            call=spec.call,
            next=self.transitions(spec.next, (*loc, "next")),
            timeout=spec.timeout,
            line=line_of(self.raw, loc),
            description=spec.description,
        )

    def transitions(
        self, specs: list[TransitionSpec], loc: tuple[int | str, ...]
    ) -> tuple[Transition, ...]:
        result = []
        for i, spec in enumerate(specs):
            condition = None
            if spec.when is not None:
                try:
                    condition = parse_condition(spec.when)
                except ExpressionError as exc:
                    self.problem((*loc, i, "when"), f"bad condition {short_repr(spec.when)}: {exc}")
            result.append(Transition(condition, spec.to, line_of(self.raw, (*loc, i, "to"))))
        return tuple(result)

    def instructions(
        self, specs: list[InstructionSpec], loc: tuple[int | str, ...]
    ) -> tuple[Instruction, ...]:
        return tuple(self.instruction(s, (*loc, i)) for i, s in enumerate(specs))

    def instruction(self, spec: InstructionSpec, loc: tuple[int | str, ...]) -> Instruction:
        line = line_of(self.raw, loc)
        if spec.say is not None:
            if isinstance(spec.say, str):
                return Instruction("say", line, element_id=spec.say)
            return Instruction("say", line, inline=dict(spec.say))
        if spec.set is not None:
            assignments = []
            for key, value in spec.set.items():
                match = _VARIABLE.match(key)
                if not match:
                    self.problem((*loc, "set", key), f"bad variable name {short_repr(key)}")
                    continue
                scope = cast(Scope, match.group(1) or "state")
                compiled = self.templates(value, (*loc, "set", key))
                assignments.append(Assignment(scope, match.group(2), compiled))
            return Instruction("set", line, assignments=tuple(assignments))
        args = self.templates(spec.args or {}, (*loc, "args"))
        return Instruction("do", line, action=spec.do or "", args=args)

    def templates(self, value: Any, loc: tuple[int | str, ...]) -> Any:
        """Compile every string inside ``value`` (recursively) into a Template."""
        if isinstance(value, str):
            try:
                return compile_template(value)
            except ExpressionError as exc:
                self.problem(loc, f"bad template {short_repr(value)}: {exc}")
                return value
        if isinstance(value, Mapping):
            return {k: self.templates(v, (*loc, k)) for k, v in value.items()}
        if isinstance(value, list):
            return [self.templates(v, (*loc, i)) for i, v in enumerate(value)]
        return value


def compile_flow(name: str, raw: Any, file: str) -> tuple[Flow | None, list[Problem]]:
    """Validate and compile one flow's YAML data: the flow (None if invalid) and problems."""
    try:
        spec = FlowSpec.model_validate(raw)
    except ValidationError as exc:
        return None, validation_problems(exc, raw, file)
    compiler = _Compiler(name, raw, file)
    flow = compiler.flow(spec)
    return flow, compiler.problems


def _target_problem(flows: Mapping[str, Flow], flow: Flow, target: str) -> str | None:
    if target in (END, RETURN) or target in flow.nodes:
        return None
    if "." in target:
        other, _, node = target.partition(".")
        if other not in flows:
            return f"unknown flow {other!r} in target {target!r}"
        if node not in flows[other].nodes:
            return f"unknown node {node!r} in flow {other!r} (target {target!r})"
        return None
    return f"unknown target {target!r}: not a node of flow {flow.name!r}, END or RETURN"


def check_targets(flows: Mapping[str, Flow]) -> list[Problem]:
    """Every ``to``, ``timeout`` and ``call`` names something that exists."""
    problems = []
    for flow in flows.values():
        transitions = [(t.target, t.line) for t in flow.catch_all]
        if flow.timeout:
            transitions.append((flow.timeout, flow.timeout_line))
        for node in flow.nodes.values():
            transitions += [(t.target, t.line) for t in node.next]
            if node.timeout:
                transitions.append((node.timeout, node.line))
            if node.call is not None and node.call not in flows:
                unknown = f"node {node.name!r} calls unknown flow {node.call!r}"
                problems.append(Problem(flow.file, node.line, unknown))
        for target, line in transitions:
            message = _target_problem(flows, flow, target)
            if message:
                problems.append(Problem(flow.file, line, message))
    return problems


def flow_set(flows: dict[str, Flow], specs: dict[str, Any]) -> FlowSet:
    """Bundle compiled flows with their version: a hash of their canonical definition."""
    definition = {"flows": specs}
    canonical = json.dumps(definition, sort_keys=True, separators=(",", ":"), default=str)
    version = hashlib.sha256(canonical.encode()).hexdigest()[:16]
    return FlowSet(flows=flows, version=version, definition=definition)
