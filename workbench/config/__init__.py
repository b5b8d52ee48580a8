"""Typed settings, and YAML loading with line numbers for every file of a bot folder."""

from __future__ import annotations

from workbench.config._settings import NAME_PATTERN, BotSettings, NLUSettings
from workbench.config._validation import validate, validation_problems
from workbench.config._yaml import LineDict, LineList, line_of, load_yaml, parse_yaml

__all__ = [
    "NAME_PATTERN",
    "BotSettings",
    "LineDict",
    "LineList",
    "NLUSettings",
    "line_of",
    "load_yaml",
    "parse_yaml",
    "validate",
    "validation_problems",
]
