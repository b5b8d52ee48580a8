"""The condition language (``when:``) and the sandboxed Jinja2 templates of a bot folder.

Both are compiled once, when a bot is loaded (:func:`parse_condition`, :func:`compile_template`,
raising :class:`ExpressionError`), and evaluated on every message (raising
:class:`EvaluationError`). They see the same names: ``state``, ``user``, ``bot``, ``event``,
``text``, ``intent``, ``confidence`` and ``entities``; anything unset reads as null.
"""

from __future__ import annotations

from workbench.expressions._compiler import NAMES
from workbench.expressions._conditions import Condition, parse_condition
from workbench.expressions._errors import EvaluationError, ExpressionError
from workbench.expressions._templates import Template, compile_template, template_names
from workbench.expressions._values import truthy

__all__ = [
    "NAMES",
    "Condition",
    "EvaluationError",
    "ExpressionError",
    "Template",
    "compile_template",
    "parse_condition",
    "template_names",
    "truthy",
]
