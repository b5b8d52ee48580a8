"""Experiment (issue 22 item 1, next step): late fusion of the default engine with a
nearest-centroid classifier on the static vectors, CLINC150 validation, closed-set top-1 only.

    python benchmarks/nlu_static_fusion.py

The default engine's confidences plus ``weight`` times a softmax (temperature ``T``) of the
cosine between a sentence's static vector and each intent's centroid (mean of its examples'
vectors). The centroids cost well under a second to fit, against the ~20 s the ``static``
engine adds by putting 256 dense columns into liblinear. Tunes on train/validation only;
rejection (the calibrated threshold on fused scores) is not measured here yet.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from workbench.nlu import _datasets as ds
from workbench.nlu._classifier import NONE
from workbench.nlu._static import StaticEncoder
from workbench.nlu._train import train

REPO = Path(__file__).resolve().parents[1]
SETTINGS = [(t, w) for t in (10.0, 20.0, 40.0) for w in (0.5, 1.0, 2.0)]


def _grouped(pairs: Sequence[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for text, label in pairs:
        grouped.setdefault(label, []).append(text)
    return grouped


def _run(pairs: Sequence[tuple[str, str]], val: Sequence[tuple[str, str]]) -> dict[str, float]:
    encoder = StaticEncoder.shared()
    start = time.perf_counter()
    model = train(_grouped(pairs))
    seconds = time.perf_counter() - start
    classes = model.classifier.classes
    texts = [t for t, _ in val]
    gold = np.array([classes.index(label) for _, label in val])
    confidences = np.stack([model.classifier.confidences(t) for t in texts])
    start = time.perf_counter()
    examples = _grouped([(t, label) for t, label in pairs if label != NONE])
    centroids = np.zeros((len(classes), encoder.dimension), dtype=np.float32)
    for i, name in enumerate(classes):
        if name in examples:
            mean = encoder.encode(examples[name]).mean(axis=0)
            centroids[i] = mean / (np.linalg.norm(mean) or 1.0)
    centroid_seconds = time.perf_counter() - start
    cosines = encoder.encode(texts) @ centroids.T
    closed = [i for i, name in enumerate(classes) if name == NONE]

    def top1(scores: npt.NDArray[np.floating]) -> float:
        scores = scores.copy()
        scores[:, closed] = -np.inf
        return round(float((scores.argmax(axis=1) == gold).mean()), 4)

    out = {
        "tfidf_top1": top1(confidences),
        "centroid_top1": top1(cosines),
        "train_seconds": round(seconds, 1),
        "centroid_seconds": round(centroid_seconds, 2),
    }
    for temperature, weight in SETTINGS:
        soft = np.exp(temperature * (cosines - cosines.max(axis=1, keepdims=True)))
        soft /= soft.sum(axis=1, keepdims=True)
        out[f"fused_T{temperature:g}_w{weight:g}"] = top1(confidences + weight * soft)
    return out


def main() -> None:
    data = ds.clinc150(ds.data_root(REPO))
    pool = _grouped(data["train"])
    rng = random.Random(10)
    five = [(t, label) for label, texts in sorted(pool.items()) for t in rng.sample(texts, 5)]
    results = {
        "5_per_intent_seed10": _run(five, data["val"]),
        "full": _run(data["train"] + data["oos_train"], data["val"]),
    }
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
