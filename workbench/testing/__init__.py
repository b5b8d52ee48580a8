"""Conversation tests (``*.convo.yml``): loading, running, coverage."""

from __future__ import annotations

from workbench.testing._coverage import NodeCoverage, node_coverage
from workbench.testing._generated import big_flow
from workbench.testing._progress import progress_bar
from workbench.testing._report import TestReport, run_tests
from workbench.testing._runner import (
    ConvoResult,
    check_turn,
    find_convo_files,
    reply_mismatch,
    run_convo,
    run_folder_tests,
)
from workbench.testing._simulate import simulate
from workbench.testing._simulate_report import SimulationReport
from workbench.testing._simulate_users import (
    PERSONAS,
    TIMEOUT,
    Persona,
    RandomUser,
    ScriptedUser,
    SimulatedUser,
    Turn,
    Vocabulary,
)
from workbench.testing._spec import ConvoSpec, ConvoTest, TurnSpec, load_convo_file

__all__ = [
    "PERSONAS",
    "TIMEOUT",
    "ConvoResult",
    "ConvoSpec",
    "ConvoTest",
    "NodeCoverage",
    "Persona",
    "RandomUser",
    "ScriptedUser",
    "SimulatedUser",
    "SimulationReport",
    "TestReport",
    "Turn",
    "TurnSpec",
    "Vocabulary",
    "big_flow",
    "check_turn",
    "find_convo_files",
    "load_convo_file",
    "node_coverage",
    "progress_bar",
    "reply_mismatch",
    "run_convo",
    "run_folder_tests",
    "run_tests",
    "simulate",
]
