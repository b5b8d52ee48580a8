"""The notebook face of Bot Workbench: flows in cells, the live graph, the emulator.

Nothing here imports ipywidgets or ipycytoscape at import time: ``import workbench`` stays fast
and works without JupyterLab; the widgets load on first use.
"""

from __future__ import annotations

from workbench.notebook._bot import Bot, emulator
from workbench.notebook._graph_elements import graph_elements, trace_path
from workbench.notebook._magic import load_ipython_extension

__all__ = ["Bot", "emulator", "graph_elements", "load_ipython_extension", "trace_path"]
