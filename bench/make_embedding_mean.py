"""Recompute ``src/newsprism/data/e5_mean.npy`` (or ``use_mean.npy``): the mean raw vector of an
article embedder over a mixed-language sample.

The sample mixes short news passages in several languages (first 400 characters of every 4th
article of the bench files, plus paragraphs of the seed articles). Only the mean *direction* of the
embedding space matters, so any broad news sample gives nearly the same vector.
Run: .venv/bin/python -m bench.make_embedding_mean [e5|use]
"""

import json
from pathlib import Path

import numpy as np

import sys

from newsprism.embed import E5Embedder, USEEmbedder

SHARED = Path(__file__).resolve().parents[2] / "shared"


def sample() -> list[str]:
    texts = []
    for name in ("ecbplus_dev.jsonl", "mlcrisis_2011.jsonl"):
        lines = (SHARED / "bench" / name).read_text(encoding="utf-8").splitlines()
        texts += [json.loads(line)["text"][:400] for line in lines[::4]]
    for path in sorted((SHARED / "seeds").glob("*.txt")):
        texts += [p for p in path.read_text(encoding="utf-8").split("\n\n") if len(p) > 80]
    return texts


def main() -> None:
    model = sys.argv[1] if len(sys.argv) > 1 else "e5"
    embedder = E5Embedder(centre=False) if model == "e5" else USEEmbedder(centre=False)
    vecs = embedder.raw(sample())
    out = Path(__file__).resolve().parents[1] / "src" / "newsprism" / "data" / f"{model}_mean.npy"
    np.save(out, vecs.mean(axis=0).astype(np.float32))
    print(f"wrote {out} from {len(vecs)} passages")


if __name__ == "__main__":
    main()
