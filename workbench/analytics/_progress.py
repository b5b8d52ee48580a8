"""A tqdm progress bar (a widget in notebooks) for reading big stores."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from tqdm.auto import tqdm

__all__ = ["PROGRESS_ROWS", "progress_bar"]

PROGRESS_ROWS = 200_000
"""Stores with at least this many rows to read show a bar (unless told otherwise)."""


@contextmanager
def progress_bar(total: int, label: str, show: bool | None) -> Iterator[Callable[[int], None]]:
    """``advance(rows)`` for a bar of ``total`` rows; ``show=None`` shows it for big reads."""
    if not (show if show is not None else total >= PROGRESS_ROWS):
        yield lambda _rows: None
        return
    bar = tqdm(total=total, desc=label, unit=" rows", unit_scale=True, file=sys.stderr)
    try:
        yield bar.update
    finally:
        bar.close()
