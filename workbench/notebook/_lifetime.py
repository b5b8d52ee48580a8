"""How long a live view (a flow graph, an emulator) lives, and what ends it.

ipywidgets keeps every widget it has not closed, and a widget keeps its callbacks. If those
callbacks held the view, a view nothing refers to any more would live, and listen to its bot, for
the whole session. So:

- the view's widgets call it through :func:`weak_method`, and the bot holds its listeners weakly
  (:class:`~workbench.runtime.Listeners`): a view lives while code refers to it (a variable, the
  cell's ``Out``, an emulator given ``graph=``);
- once displayed (or once its widget is taken to embed), the view is *pinned* to its top widget,
  so a view on screen keeps following the bot even if no variable holds it;
- closing the view, or its top widget from anywhere, detaches it from the bot and closes every
  widget it made; so does the view being garbage collected (see :class:`Lifetime`);
- running again the cell that showed a view replaces that output: a view the new run does not
  show again (and no other cell shows) is closed (see :class:`CellViews`). The kernel is told
  nothing when an output goes, but it sees the cell run again: without this, each re-run of
  ``graph = bot.graph(); graph`` would leave one more invisible graph redrawn on every edit
  (IPython's ``Out`` keeps every displayed result, so dropping the pin alone frees nothing).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any, TypeVar

import ipywidgets
from IPython import get_ipython

R = TypeVar("R")


def weak_method(method: Callable[..., R]) -> Callable[..., R | None]:
    """A callback that calls the bound ``method`` while its object lives (then does nothing)."""
    ref = weakref.WeakMethod(method)

    def call(*args: Any, **kwargs: Any) -> R | None:
        alive = ref()
        return None if alive is None else alive(*args, **kwargs)

    return call


def close_tree(widget: Any) -> None:
    """Close ``widget`` and every widget its synced traits hold (children, a cytoscape graph's
    nodes and edges, layouts), children first."""
    seen: set[int] = set()

    def walk(item: Any) -> None:
        if not isinstance(item, ipywidgets.Widget) or id(item) in seen:
            return
        seen.add(id(item))
        for name in item.keys:
            value = getattr(item, name, None)
            for child in value if isinstance(value, list | tuple) else [value]:
                walk(child)
        item.close()

    walk(widget)


class Lifetime:
    """Ties a view to its top widget: pin, close once, close when collected."""

    def __init__(self, owner: object, top: ipywidgets.Widget, on_close: Callable[[], Any]) -> None:
        self.top = top
        self.closed = False
        # runs once: on close(), or when the owner is collected (it must not refer to the owner)
        self._finalizer = weakref.finalize(owner, close_tree, top)
        top.observe(self._on_comm, names="comm")
        self._on_close = weak_method(on_close) if hasattr(on_close, "__self__") else on_close

    def pin(self, owner: object) -> None:
        """Keep ``owner`` alive as long as its top widget is open (it is on screen), or until
        the cell that showed it runs again without showing it."""
        if not self.closed:
            self.top._workbench_view = owner
            CELL_VIEWS.shown(self)

    def close(self) -> None:
        """Close every widget of the view (once)."""
        if self.closed:
            return
        self.closed = True
        self.top.unobserve(self._on_comm, names="comm")
        self.top.__dict__.pop("_workbench_view", None)
        self._finalizer()

    def replaced(self) -> None:
        """The output that showed the view is gone (its cell ran again): close the view."""
        if not self.closed:
            self._on_close()

    def _on_comm(self, change: dict[str, Any]) -> None:
        if change["new"] is None and not self.closed:  # the top widget was closed elsewhere
            self._on_close()


class CellViews:
    """The views each cell's last run showed, by cell id (JupyterLab sends it with each run).

    A view shown while a cell runs is that run's (IPython's ``displayhook.exec_result`` is the
    run under way, with its cell id). After each run (IPython's ``post_run_cell`` event), the
    views the cell's previous run showed that this run did not show again, and that no other
    cell's last run shows, are closed. Runs without a cell id (a plain IPython shell,
    ``nbclient``) are not tracked.
    """

    def __init__(self) -> None:
        self._last: dict[str, list[weakref.ref[Lifetime]]] = {}
        self._running: tuple[Any, list[weakref.ref[Lifetime]]] | None = None
        self._hooked: set[int] = set()

    def shown(self, lifetime: Lifetime) -> None:
        shell = get_ipython()
        if shell is None:
            return
        if id(shell) not in self._hooked:
            self._hooked.add(id(shell))
            shell.events.register("post_run_cell", self.post_run)
        run = getattr(shell.displayhook, "exec_result", None)
        if _cell_id(run) is None:
            return
        if self._running is None or self._running[0] is not run:
            self._running = (run, [])
        self._running[1].append(weakref.ref(lifetime))

    def post_run(self, result: Any) -> None:
        cell = _cell_id(result)
        running, self._running = self._running, None
        if cell is None:
            return
        now = running[1] if running is not None and running[0] is result else []
        before = self._last.pop(cell, [])
        if now:
            self._last[cell] = now
        kept = {id(ref()) for refs in self._last.values() for ref in refs}
        for ref in before:
            lifetime = ref()
            if lifetime is not None and id(lifetime) not in kept:
                lifetime.replaced()


def _cell_id(run: Any) -> str | None:
    info = getattr(run, "info", None)
    cell = getattr(info, "cell_id", None)
    return cell if isinstance(cell, str) and cell else None


CELL_VIEWS = CellViews()
"""The one registry of the kernel's shell (a kernel has one shell)."""
