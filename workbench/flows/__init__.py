"""Flows: the ``*.flow.yml`` format, its validation with line numbers, and compiled flows."""

from __future__ import annotations

from workbench.flows._builder import FlowBuilder, do, say, set_
from workbench.flows._lint import check_references, iter_instructions, lint_flows
from workbench.flows._load import (
    FLOW_SUFFIX,
    MAIN,
    build_flow_set,
    flow_set_from_definition,
    flow_set_from_texts,
    load_flow_files,
    read_flow_files,
)
from workbench.flows._model import (
    END,
    RETURN,
    Assignment,
    Flow,
    FlowSet,
    Instruction,
    Node,
    NodeKind,
    Scope,
    Transition,
)
from workbench.flows._spec import FlowSpec, InstructionSpec, NodeSpec, TransitionSpec

__all__ = [
    "END",
    "FLOW_SUFFIX",
    "MAIN",
    "RETURN",
    "Assignment",
    "Flow",
    "FlowBuilder",
    "FlowSet",
    "FlowSpec",
    "Instruction",
    "InstructionSpec",
    "Node",
    "NodeKind",
    "NodeSpec",
    "Scope",
    "Transition",
    "TransitionSpec",
    "build_flow_set",
    "check_references",
    "do",
    "flow_set_from_definition",
    "flow_set_from_texts",
    "iter_instructions",
    "lint_flows",
    "load_flow_files",
    "read_flow_files",
    "say",
    "set_",
]
