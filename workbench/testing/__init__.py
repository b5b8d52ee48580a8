"""Conversation tests (``*.convo.yml``): loading, running, coverage."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench._lazy import attach

if TYPE_CHECKING:
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
    from workbench.testing._spec import (
        ConvoSpec,
        ConvoTest,
        TurnSpec,
        load_convo_file,
        load_convo_text,
    )

_LAZY = {
    "NodeCoverage": "workbench.testing._coverage",
    "node_coverage": "workbench.testing._coverage",
    "big_flow": "workbench.testing._generated",
    "progress_bar": "workbench.testing._progress",
    "TestReport": "workbench.testing._report",
    "run_tests": "workbench.testing._report",
    "ConvoResult": "workbench.testing._runner",
    "check_turn": "workbench.testing._runner",
    "find_convo_files": "workbench.testing._runner",
    "reply_mismatch": "workbench.testing._runner",
    "run_convo": "workbench.testing._runner",
    "run_folder_tests": "workbench.testing._runner",
    "simulate": "workbench.testing._simulate",
    "SimulationReport": "workbench.testing._simulate_report",
    "PERSONAS": "workbench.testing._simulate_users",
    "TIMEOUT": "workbench.testing._simulate_users",
    "Persona": "workbench.testing._simulate_users",
    "RandomUser": "workbench.testing._simulate_users",
    "ScriptedUser": "workbench.testing._simulate_users",
    "SimulatedUser": "workbench.testing._simulate_users",
    "Turn": "workbench.testing._simulate_users",
    "Vocabulary": "workbench.testing._simulate_users",
    "ConvoSpec": "workbench.testing._spec",
    "ConvoTest": "workbench.testing._spec",
    "TurnSpec": "workbench.testing._spec",
    "load_convo_file": "workbench.testing._spec",
    "load_convo_text": "workbench.testing._spec",
}


__getattr__, __dir__ = attach(__name__, _LAZY)


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
    "load_convo_text",
    "node_coverage",
    "progress_bar",
    "reply_mismatch",
    "run_convo",
    "run_folder_tests",
    "run_tests",
    "simulate",
]
