"""The schema's frozen records (``fast_init``): the same objects as plain frozen dataclasses."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

import pytest

from workbench.schema import Choice, Entity, Message, NLUResult, Reply, TranscriptEvent
from workbench.schema._records import fast_init


@dataclasses.dataclass(frozen=True)
class Reference:
    """What ``fast_init`` must reproduce: the dataclass's own ``__init__``."""

    a: str
    b: int = 2
    c: list[int] = dataclasses.field(default_factory=list)


@fast_init
@dataclasses.dataclass(frozen=True)
class Fast:
    """The same fields, with ``fast_init``."""

    a: str
    b: int = 2
    c: list[int] = dataclasses.field(default_factory=list)


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [(("x",), {}), (("x", 5), {}), (("x",), {"c": [1]}), ((), {"a": "y", "b": 0})],
)
def test_fast_init_takes_the_same_arguments(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    fast, reference = Fast(*args, **kwargs), Reference(*args, **kwargs)
    assert vars(fast) == vars(reference)
    assert str(inspect.signature(Fast)) == str(inspect.signature(Reference))


def test_fast_init_refuses_the_same_mistakes() -> None:
    mistakes: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
        ((), {}),
        (("x", 1, [], 4), {}),
        (("x",), {"d": 1}),
        (("x",), {"a": "y"}),
    ]
    for args, kwargs in mistakes:
        with pytest.raises(TypeError):
            Reference(*args, **kwargs)
        with pytest.raises(TypeError):
            Fast(*args, **kwargs)


def test_defaults_from_factories_are_new_each_time() -> None:
    assert Fast("x").c == [] and Fast("x").c is not Fast("x").c


def test_records_stay_frozen_and_comparable() -> None:
    values = (
        *("c1", "u1", 3, 12.5, "bot", "main", "ask", "order", 0.75, "hi", {"a": [1]}, 4),
        *("text", "fr"),
    )
    event = TranscriptEvent(*values)  # type: ignore[arg-type]
    assert vars(event) == {
        f.name: v for f, v in zip(dataclasses.fields(event), values, strict=True)
    }
    assert event == TranscriptEvent(*values)  # type: ignore[arg-type]
    assert "payload={'a': [1]}, seq=4, channel='text', language='fr')" in repr(event)
    assert TranscriptEvent("c1", "u1", 1, 1.0, "user").channel == "web"  # the defaults
    assert TranscriptEvent("c1", "u1", 1, 1.0, "user").language == ""
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.text = "changed"  # type: ignore[misc]
    assert dataclasses.replace(event, seq=5).seq == 5
    assert hash(Entity("size", "large", "large", 0, 5)) == hash(
        Entity("size", "large", "large", 0, 5)
    )
    assert Reply("text", "hi").extra == {} and Reply("text").extra is not Reply("text").extra
    assert Reply.from_json({"type": "image", "text": "", "image": "x.png"}).image == "x.png"
    assert Choice("Yes", "yes") == Choice(title="Yes", value="yes")
    assert NLUResult().intent == "none" and Message("hi").payload is None


def test_other_dataclasses_are_refused() -> None:
    @dataclasses.dataclass(frozen=True)
    class WithPostInit:
        a: int

        def __post_init__(self) -> None:
            pass

    @dataclasses.dataclass
    class NotFrozen:
        a: int

    for cls in (WithPostInit, NotFrozen):
        with pytest.raises(TypeError, match="not a frozen dataclass"):
            fast_init(cls)
