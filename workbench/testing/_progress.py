"""Progress bars for long work (simulations, cross-validation): tqdm, a widget in notebooks."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["progress_bar"]


@contextmanager
def progress_bar(
    total: int, label: str, *, unit: str = "it", enabled: bool = True
) -> Iterator[Callable[[int], None]]:
    """``advance(k)`` for a tqdm bar on stderr (a widget in notebooks), or a no-op."""
    if not enabled:
        yield lambda k: None
        return
    tqdm = importlib.import_module("tqdm.auto").tqdm  # only when a bar is shown
    # no monitor thread: forking a threaded process is unsafe (see _simulate._worker_count)
    bar = type("WorkbenchBar", (tqdm,), {"monitor_interval": 0})(
        total=total, desc=label, unit=unit, file=sys.stderr, dynamic_ncols=True
    )
    try:
        yield bar.update
    finally:
        bar.close()
