"""The notebook face of Bot Workbench: flows in cells, the live graph, the emulator.

Nothing here imports ipywidgets or ipycytoscape at import time: ``import workbench`` stays fast
and works without JupyterLab; the widgets load on first use.
"""

from __future__ import annotations

from workbench.notebook._bot import Bot, emulator
from workbench.notebook._graph_elements import graph_elements, trace_path
from workbench.notebook._magic import load_ipython_extension
from workbench.notebook._nlu_charts import confusion_chart, f1_chart, threshold_chart

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
