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
  widget it made; so does the view being garbage collected (see :class:`Lifetime`).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any, TypeVar

import ipywidgets

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
        """Keep ``owner`` alive as long as its top widget is open (it is on screen)."""
        if not self.closed:
            self.top._workbench_view = owner

    def close(self) -> None:
        """Close every widget of the view (once)."""
        if self.closed:
            return
        self.closed = True
        self.top.unobserve(self._on_comm, names="comm")
        self.top.__dict__.pop("_workbench_view", None)
        self._finalizer()

    def _on_comm(self, change: dict[str, Any]) -> None:
        if change["new"] is None and not self.closed:  # the top widget was closed elsewhere
            self._on_close()
