"""The notebook face of Bot Workbench: flows in cells, the live graph, the emulator.

Nothing here imports ipywidgets or ipycytoscape at import time: ``import workbench`` stays fast
and works without JupyterLab; the widgets load on first use. The names below load their module on
first access too (PEP 562), so ``wb.Bot`` does not pay for the graph, magics or charts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench._lazy import attach

if TYPE_CHECKING:
    from workbench.notebook._explorer import ConversationExplorer
    from workbench.notebook._graph_elements import graph_elements, trace_path
    from workbench.notebook._graph_style import cytoscape_style
    from workbench.notebook._magic import load_ipython_extension
    from workbench.notebook._nlu_charts import (
        confusion_chart,
        f1_chart,
        few_shot_chart,
        threshold_chart,
    )
    from workbench.notebook._views import NotebookViews, emulator

_LAZY = {
    "ConversationExplorer": "workbench.notebook._explorer",
    "NotebookViews": "workbench.notebook._views",
    "emulator": "workbench.notebook._views",
    "cytoscape_style": "workbench.notebook._graph_style",
    "graph_elements": "workbench.notebook._graph_elements",
    "trace_path": "workbench.notebook._graph_elements",
    "load_ipython_extension": "workbench.notebook._magic",
    "confusion_chart": "workbench.notebook._nlu_charts",
    "f1_chart": "workbench.notebook._nlu_charts",
    "few_shot_chart": "workbench.notebook._nlu_charts",
    "threshold_chart": "workbench.notebook._nlu_charts",
}


__getattr__, __dir__ = attach(__name__, _LAZY)


__all__ = [
    "ConversationExplorer",
    "NotebookViews",
    "confusion_chart",
    "cytoscape_style",
    "emulator",
    "f1_chart",
    "few_shot_chart",
    "graph_elements",
    "load_ipython_extension",
    "threshold_chart",
    "trace_path",
]
