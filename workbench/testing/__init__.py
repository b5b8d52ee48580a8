"""Conversation tests (``*.convo.yml``): loading, running, coverage."""

from __future__ import annotations

from workbench.testing._coverage import NodeCoverage, node_coverage
from workbench.testing._report import TestReport, run_tests
from workbench.testing._runner import (
    ConvoResult,
    check_turn,
    find_convo_files,
    reply_mismatch,
    run_convo,
    run_folder_tests,
)
from workbench.testing._spec import ConvoSpec, ConvoTest, TurnSpec, load_convo_file

__all__ = [
    "ConvoResult",
    "ConvoSpec",
    "ConvoTest",
    "NodeCoverage",
    "TestReport",
    "TurnSpec",
    "check_turn",
    "find_convo_files",
    "load_convo_file",
    "node_coverage",
    "reply_mismatch",
    "run_convo",
    "run_folder_tests",
    "run_tests",
]
