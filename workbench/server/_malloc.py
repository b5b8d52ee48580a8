"""Keeping a worker's memory down: fewer glibc malloc arenas."""

from __future__ import annotations

import ctypes

M_ARENA_MAX = -8
"""glibc's ``mallopt`` parameter for the number of malloc arenas."""


def limit_malloc_arenas(arenas: int = 2) -> None:
    """Turns run on a pool of threads; glibc gives threads up to 8 malloc arenas per core,
    each holding on to freed memory: a worker's RSS grows by tens of MB under load for
    nothing. Two arenas serve a GIL-bound process as well (no effect off glibc)."""
    try:
        libc = ctypes.CDLL(None)
        libc.mallopt(M_ARENA_MAX, arenas)
    except (OSError, AttributeError):
        pass
