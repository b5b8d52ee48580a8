"""``bot.turn_listeners`` and ``bot.change_listeners``: callbacks that do not keep their owner
alive.

A live view (a flow graph, an emulator) listens with one of its methods. Holding that method
strongly would keep the view, and every widget it made, alive as long as the bot, and a view no
one can reach any more would go on receiving every turn. So a bound method is held weakly (its
object, once collected, silently leaves the list); a plain function or a lambda is held as it is,
since nothing else would keep it.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator
from typing import Any, Generic, ParamSpec

P = ParamSpec("P")

_Ref = Callable[[], Callable[..., Any] | None]


def _reference(listener: Callable[..., Any]) -> _Ref:
    if getattr(listener, "__self__", None) is not None and hasattr(listener, "__func__"):
        return weakref.WeakMethod(listener)
    return lambda: listener


class Listeners(Generic[P]):
    """An ordered list of callbacks, bound methods held weakly (see the module's docstring).

    It reads like a list: ``append``, ``remove``, ``pop``, ``clear``, ``in``, ``len`` and
    iteration (over the callbacks still alive); :meth:`notify` calls each of them.
    """

    def __init__(self) -> None:
        self._refs: list[_Ref] = []

    def _alive(self) -> list[Callable[P, Any]]:
        found: list[Callable[P, Any]] = []
        refs: list[_Ref] = []
        for ref in self._refs:
            listener = ref()
            if listener is not None:
                found.append(listener)
                refs.append(ref)
        self._refs = refs
        return found

    def append(self, listener: Callable[P, Any]) -> None:
        self._refs.append(_reference(listener))

    def remove(self, listener: Callable[P, Any]) -> None:
        """Stop calling ``listener`` (its first registration); ``ValueError`` if it is absent."""
        index = self._alive().index(listener)
        del self._refs[index]

    def pop(self, index: int = -1) -> Callable[P, Any]:
        listener = self._alive()[index]
        del self._refs[index]
        return listener

    def clear(self) -> None:
        self._refs = []

    def notify(self, *args: P.args, **kwargs: P.kwargs) -> None:
        """Call every listener still alive, in the order they were added."""
        for listener in self._alive():
            listener(*args, **kwargs)

    def __contains__(self, listener: object) -> bool:
        return listener in self._alive()

    def __iter__(self) -> Iterator[Callable[P, Any]]:
        return iter(self._alive())

    def __len__(self) -> int:
        return len(self._alive())

    def __repr__(self) -> str:
        return f"<Listeners {self._alive()!r}>"
