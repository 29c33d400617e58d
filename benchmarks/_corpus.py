"""Texts the benchmarks share: the real pages of ../shared/data/web, or a generated corpus without them."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

WEB = Path(__file__).resolve().parents[2] / "shared" / "data" / "web"


def real_texts() -> list[str]:
    """Every non-empty text of the real web pages (about 4,000 pages), or [] when absent."""
    texts = []
    for path in sorted(WEB.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            texts.extend(row["text"] for row in map(json.loads, handle) if row.get("text"))
    return texts


def benchmark_texts(synthetic_docs: int = 4000) -> tuple[str, list[str]]:
    """(description, texts): the real pages when present, else a generated corpus."""
    texts = real_texts()
    if texts:
        return f"{len(texts):,} real web pages (../shared/data/web)", texts
    from curation.synth import generate

    return f"{synthetic_docs:,} generated pages", [row["text"] for row in generate(synthetic_docs, seed=0)]
