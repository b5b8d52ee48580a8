"""A Python builder for flows: the same model as the YAML, for people who prefer code.

>>> main = FlowBuilder("main", start="welcome")
>>> main.node("welcome", say="greeting", to="ask_size")                   # doctest: +SKIP
>>> main.node("ask_size", say="ask_size", on_receive=[set_(size="{{ entities.size }}")],
...           next=[("state.size", "pay"), "ask_size"])                     # doctest: +SKIP
>>> bot.set_flow("main", main)                                             # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

Transitions = Sequence[str | tuple[str, str] | Mapping[str, str]]


def say(element: str | Mapping[str, Any]) -> dict[str, Any]:
    """``say`` a content element id, or an inline element (``{"text": ...}``)."""
    return {"say": element if isinstance(element, str) else dict(element)}


def set_(**values: Any) -> dict[str, Any]:
    """``set`` variables; ``user__name=...`` sets ``user.name`` (keywords cannot hold dots)."""
    return {"set": {key.replace("__", "."): value for key, value in values.items()}}


def do(action: str, **args: Any) -> dict[str, Any]:
    """``do`` a registered action with templated ``args``."""
    return {"do": action, **({"args": args} if args else {})}


def _transition(item: str | tuple[str, str] | Mapping[str, str]) -> dict[str, str]:
    if isinstance(item, str):
        return {"to": item}
    if isinstance(item, tuple):
        condition, target = item
        return {"when": condition, "to": target}
    return dict(item)


class FlowBuilder(Mapping[str, Any]):
    """Builds the data of one flow file; pass it to ``bot.set_flow(name, builder)``."""

    def __init__(self, name: str, *, start: str, timeout: str | None = None) -> None:
        self.name = name
        self._data: dict[str, Any] = {"start": start, "nodes": {}}
        if timeout is not None:
            self._data["timeout"] = timeout

    def node(
        self,
        name: str,
        *,
        on_enter: Sequence[Mapping[str, Any]] = (),
        on_receive: Sequence[Mapping[str, Any]] | None = None,
        next: Transitions = (),
        say: str | Mapping[str, Any] | None = None,
        to: str | None = None,
        call: str | None = None,
        timeout: str | None = None,
        waits: bool = False,
    ) -> FlowBuilder:
        """Add a node. ``say``/``to`` are shortcuts for one ``say`` and an unconditional
        transition; ``waits=True`` is ``on_receive: []``. Returns the builder (chainable)."""
        enter = [dict(i) for i in on_enter]
        if say is not None:
            enter.insert(0, {"say": say if isinstance(say, str) else dict(say)})
        spec: dict[str, Any] = {"on_enter": enter} if enter else {}
        if on_receive is not None or waits:
            spec["on_receive"] = [dict(i) for i in on_receive or ()]
        if call is not None:
            spec["call"] = call
        transitions = [_transition(t) for t in next] + ([{"to": to}] if to else [])
        if transitions:
            spec["next"] = transitions
        if timeout is not None:
            spec["timeout"] = timeout
        self._data["nodes"][name] = spec
        return self

    def catch_all(self, *transitions: str | tuple[str, str] | Mapping[str, str]) -> FlowBuilder:
        self._data["catch_all"] = {"next": [_transition(t) for t in transitions]}
        return self

    def to_dict(self) -> dict[str, Any]:
        return self._data

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)
