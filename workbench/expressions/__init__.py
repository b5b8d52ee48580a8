"""The condition language (``when:``) and the sandboxed Jinja2 templates of a bot folder.

Both are checked and compiled once, when a bot is loaded (:func:`parse_condition`,
:func:`compile_template`, raising :class:`ExpressionError`), and evaluated on every message
(raising :class:`EvaluationError`). They see the same names: ``state``, ``user``, ``bot``,
``event``, ``text``, ``intent``, ``confidence`` and ``entities``. Anything unset reads as null in
a condition, and as Jinja's undefined in a template (it prints as "", is false, and a ``set``
stores it as null). Templates mean exactly what Jinja's sandbox says, also a ``set`` value that
is one ``{{ expression }}``: with ``n`` unset, ``{{ state.n + 1 }}`` is an error, as in any Jinja
template, while the condition ``state.n + 1`` is null; ``{{ (state.n or 0) + 1 }}`` counts.
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
