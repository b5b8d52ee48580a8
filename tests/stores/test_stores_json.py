"""``dump_json``: standard compact JSON through orjson, the stdlib (a C encoder per thread) for
what orjson refuses, with the stdlib's text and errors there."""

from __future__ import annotations

import json
import math
import threading
from typing import Any

import pytest

from workbench.stores._json import dump_json, load_json

REFERENCE = json.JSONEncoder(separators=(",", ":")).encode
VALUES: list[Any] = [
    {"a": [1, 2.5, None, True, False], "é": 'ü\u2028\n"q"', "n": {"deep": [[], {}]}},
    "plain text",
    "",
    0,
    -1.25,
    1e300 * 10,
    float("inf"),
    float("nan"),
    None,
    [],
    {},
    {1: "int key", 2.5: "float key", None: "null key", False: "bool key"},
    ("tuple", "as", "list"),
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_reads_back_as_the_stdlib_text_does(value: Any) -> None:
    text = dump_json(value)
    expected = json.loads(REFERENCE(value))
    if isinstance(value, float) and not math.isfinite(value):  # NaN, infinity: null
        assert text == "null"
    else:
        assert load_json(text) == expected
        assert json.loads(text) == expected


def test_standard_compact_json() -> None:
    assert dump_json({"é": "ü\u2028", "n": [1, 2.5, None]}) == '{"é":"ü\u2028","n":[1,2.5,null]}'
    assert dump_json({"x": float("nan"), "y": float("-inf")}) == '{"x":null,"y":null}'
    assert dump_json("plain") == '"plain"'


class Text(str):
    pass


@pytest.mark.parametrize(
    "value",
    [
        {1: "int key", 2.5: "float key", None: "null key", False: "bool key"},
        2**70,
        {"big": [-(2**64)]},
        Text("a str subclass"),
        "lone \ud83c surrogate",
        json.loads("[" * 300 + "]" * 300),
    ],
    ids=["non-str keys", "big int", "big int inside", "str subclass", "surrogate", "deep"],
)
def test_what_orjson_refuses_is_the_stdlib_text(value: Any) -> None:
    assert dump_json(value) == REFERENCE(value)


def test_nan_is_null_whichever_encoder_writes_it() -> None:
    """The same NaN is null whether orjson writes the value or the stdlib does (here because
    of an int key or a big int elsewhere in it)."""
    nan, inf = float("nan"), float("inf")
    assert dump_json({"a": nan}) == '{"a":null}'
    assert dump_json({"a": nan, "b": 2**70}) == '{"a":null,"b":1180591620717411303424}'
    assert dump_json([inf, {1: (-inf, 1.5)}]) == '[null,{"1":[null,1.5]}]'
    loop: list[Any] = [nan]
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular reference detected"):
        dump_json(loop)


def test_same_errors_and_the_next_call_is_unaffected() -> None:
    """A failed call may leave ids in its encoder's circular-reference markers: a fresh
    encoder replaces it, so a value encoded next is not taken for a cycle."""
    loop: list[Any] = []
    loop.append(loop)
    for bad, error in ((loop, ValueError), ({"x": object()}, TypeError)):
        with pytest.raises(error) as ours:
            dump_json(bad)
        with pytest.raises(error) as theirs:
            REFERENCE(bad)
        assert str(ours.value) == str(theirs.value)
    shared = {"k": [1]}
    assert dump_json([shared, shared]) == '[{"k":[1]},{"k":[1]}]'  # not a cycle
    assert load_json(dump_json(VALUES[0])) == VALUES[0]


def test_threads_encoding_the_same_value_at_once() -> None:
    shared = {"state": {"items": list(range(200)), "nested": [{"a": i} for i in range(50)]}}
    expected = REFERENCE(shared)
    failures: list[BaseException] = []

    def encode() -> None:
        try:
            for _ in range(200):
                assert dump_json(shared) == expected
        except BaseException as error:  # pragma: no cover - reported below
            failures.append(error)

    threads = [threading.Thread(target=encode) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
