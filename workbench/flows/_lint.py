"""Checks across a whole bot: references to content and actions, and lint warnings."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping

from workbench.flows._model import END, RETURN, Flow, FlowSet, Instruction, Node
from workbench.schema import Problem

TIMEOUT = "timeout"


def iter_instructions(flows: FlowSet) -> Iterator[tuple[Node, Instruction]]:
    """Every instruction of every node, on_enter first."""
    for flow in flows.flows.values():
        for node in flow.nodes.values():
            for instruction in (*node.on_enter, *(node.on_receive or ())):
                yield node, instruction


def check_references(
    flows: FlowSet, content_ids: Collection[str], actions: Collection[str] | None
) -> list[Problem]:
    """Errors for ``say`` of unknown content and ``do`` of unknown actions."""
    problems = []
    for node, ins in iter_instructions(flows):
        file = flows.flows[node.flow].file
        if ins.kind == "say" and ins.element_id and ins.element_id not in content_ids:
            problems.append(Problem(file, ins.line, f"unknown content element {ins.element_id!r}"))
        if ins.kind == "do" and actions is not None and ins.action not in actions:
            known = ", ".join(sorted(actions)) or "none defined in actions.py"
            message = f"unknown action {ins.action!r} (known: {known})"
            problems.append(Problem(file, ins.line, message))
    return problems


def _targets(flow: Flow) -> Iterator[str]:
    yield from (t.target for t in flow.catch_all)
    if flow.timeout:
        yield flow.timeout
    for node in flow.nodes.values():
        yield from (t.target for t in node.next)
        if node.timeout:
            yield node.timeout


def _reachable(flows: FlowSet, entries: dict[str, set[str]]) -> dict[str, set[str]]:
    """Nodes reachable per flow from the given entry nodes, following every kind of edge."""
    seen: dict[str, set[str]] = {name: set() for name in flows.flows}
    todo = [(f, n) for f, nodes in entries.items() for n in nodes]
    while todo:
        flow_name, node_name = todo.pop()
        if node_name in seen[flow_name]:
            continue
        seen[flow_name].add(node_name)
        flow = flows.flows[flow_name]
        node = flow.nodes[node_name]
        targets = [t.target for t in (*node.next, *flow.catch_all)]
        targets += [t for t in (node.timeout, flow.timeout) if t]
        if TIMEOUT in flow.nodes:
            targets.append(TIMEOUT)
        if node.call:
            todo.append((node.call, flows.flows[node.call].start))
        for target in targets:
            if target in (END, RETURN):
                continue
            other, _, name = target.rpartition(".")
            todo.append((other or flow_name, name))
    return seen


def lint_flows(flows: FlowSet, content: Mapping[str, tuple[str, int]]) -> list[Problem]:
    """Warnings: unreachable nodes, dead ends, flows never used, content never said.

    ``content`` maps each element id to where it is defined.
    """
    problems: list[Problem] = []
    entries: dict[str, set[str]] = {"main": {flows.flows["main"].start}}
    if TIMEOUT in flows.flows:
        entries[TIMEOUT] = {flows.flows[TIMEOUT].start}
    reached = _reachable(flows, entries)
    for flow in flows.flows.values():
        if not reached[flow.name]:
            problems.append(Problem(flow.file, 0, f"flow {flow.name!r} is never called", "warning"))
            continue
        for node in flow.nodes.values():
            if node.name not in reached[flow.name]:
                message = f"node {node.name!r} is unreachable"
                problems.append(Problem(flow.file, node.line, message, "warning"))
            elif not node.next and node.call is None and not _caught(flows, flow):
                message = f"node {node.name!r} is a dead end: it waits with no way out"
                problems.append(Problem(flow.file, node.line, message, "warning"))
    said = {ins.element_id for _, ins in iter_instructions(flows) if ins.kind == "say"}
    for element in sorted(set(content) - said):
        file, line = content[element]
        problems.append(Problem(file, line, f"content {element!r} is never used", "warning"))
    return problems


def _caught(flows: FlowSet, flow: Flow) -> bool:
    return bool(flow.catch_all)
