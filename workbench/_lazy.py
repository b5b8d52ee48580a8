"""Names of a package that import their module on first access (PEP 562, as SPEC 1 does).

``workbench``, ``workbench.nlu``, ``workbench.notebook``, ``workbench.stores`` and
``workbench.testing`` use it so that importing them stays cheap: ``wb.Bot`` does not pay for the
graph widgets, the NLU names do not import numpy, a bot on SQLite does not load the memory store,
the CLI's ``lint`` does not import the simulator. Type checkers see the real
names through each package's ``if TYPE_CHECKING:`` imports.
"""

from __future__ import annotations

import importlib
import sys

TYPE_CHECKING = False
"""As ``typing.TYPE_CHECKING``, without importing ``typing`` at run time."""
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping
    from typing import Any

__all__ = ["attach"]


def attach(
    package: str, names: Mapping[str, str], subpackages: Iterable[str] = ()
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package``: ``names`` maps a public name to the
    module defining it (imported, then the name kept in the package); ``subpackages`` are
    imported whole on access."""
    namespace = sys.modules[package].__dict__
    whole = frozenset(subpackages)

    def __getattr__(name: str) -> Any:
        if name in whole:
            return importlib.import_module(f"{package}.{name}")  # which sets the attribute
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *names, *whole})

    return __getattr__, __dir__
