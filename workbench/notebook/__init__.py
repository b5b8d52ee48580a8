"""The notebook face of Bot Workbench: flows in cells, the live graph, the emulator.

Nothing here imports ipywidgets or ipycytoscape at import time: ``import workbench`` stays fast
and works without JupyterLab; the widgets load on first use. The names below load their module on
first access too (PEP 562), so ``wb.Bot`` does not pay for the graph, magics or charts.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbench.notebook._bot import Bot, emulator
    from workbench.notebook._graph_elements import graph_elements, trace_path
    from workbench.notebook._magic import load_ipython_extension
    from workbench.notebook._nlu_charts import confusion_chart, f1_chart, threshold_chart

_LAZY = {
    "Bot": "workbench.notebook._bot",
    "emulator": "workbench.notebook._bot",
    "graph_elements": "workbench.notebook._graph_elements",
    "trace_path": "workbench.notebook._graph_elements",
    "load_ipython_extension": "workbench.notebook._magic",
    "confusion_chart": "workbench.notebook._nlu_charts",
    "f1_chart": "workbench.notebook._nlu_charts",
    "threshold_chart": "workbench.notebook._nlu_charts",
}


def __getattr__(name: str) -> Any:
    """Import the module of a public name on first access, then keep the name here."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "Bot",
    "confusion_chart",
    "emulator",
    "f1_chart",
    "graph_elements",
    "load_ipython_extension",
    "threshold_chart",
    "trace_path",
]
