"""``few_shot_curve``: each engine trained on a few examples per intent, scored on one test."""

from __future__ import annotations

from workbench.nlu import few_shot_curve
from workbench.notebook import few_shot_chart

POOL = {
    "order": [
        "I want a pizza",
        "order a pizza",
        "can I get a pizza",
        "a pizza please",
        "get me a pizza",
        "I'd like to order food",
    ],
    "hours": [
        "when are you open",
        "opening hours",
        "what time do you close",
        "are you open on sunday",
        "business hours",
        "until when are you open",
    ],
    "delivery": [
        "do you deliver",
        "how long does delivery take",
        "delivery time",
        "is delivery free",
        "can you deliver to my place",
        "when will my food arrive",
    ],
}
TEST = [
    ("I would like a pizza", "order"),
    ("what are your opening hours", "hours"),
    ("how long is the delivery", "delivery"),
    ("blorp zzz quux", "none"),
]


def test_one_point_per_engine_and_size_with_both_accuracies() -> None:
    points = few_shot_curve(POOL, TEST, sizes=(2, 6), engines=("default", "simple"))
    assert [(p["engine"], p["examples_per_intent"]) for p in points] == [
        ("default", 2),
        ("simple", 2),
        ("default", 6),
        ("simple", 6),
    ]
    default_6 = points[2]
    assert default_6["closed_set_top1"] == 1.0
    assert default_6["oos_recall"] == 1.0
    for point in points:
        assert point["in_scope_accuracy"] is not None
        assert 0.0 <= float(point["in_scope_accuracy"]) <= float(point["closed_set_top1"] or 0)
    chart = few_shot_chart(points).to_dict()
    assert chart["encoding"]["x"]["field"] == "examples per intent"
    assert len(chart["data"]["values"] if "values" in chart["data"] else chart["datasets"]) > 0
