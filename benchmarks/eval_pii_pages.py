"""How much the default PII tier changes real web pages: the precision side of personal-data detection.

    python benchmarks/eval_pii_pages.py [--repeats 3]

Every page of ``../shared/data/web/*.jsonl.gz`` with its language (``lang_langid``, as the
language filter would set it): the share of pages the anonymizer changes, spans per 1,000 words,
spans per entity type, and detection throughput (median of the repeats). Run it on two checkouts
to compare a change (the README quotes such a pair).
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "web"


def pages() -> list[tuple[str, str | None]]:
    found = []
    for path in sorted(DATA.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                if record.get("text"):
                    found.append((record["text"], record.get("lang_langid")))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    if not DATA.exists():
        print(f"error: {DATA} is absent", file=sys.stderr)
        return 2
    from curation.pii import PiiEngine
    from curation.pii.domains import count_words

    corpus = pages()
    engine = PiiEngine()
    seconds = []
    for _ in range(args.repeats):
        started = time.perf_counter()
        found = [engine.detect(text, language) for text, language in corpus]
        seconds.append(time.perf_counter() - started)
    words = sum(count_words(text) for text, _ in corpus)
    megabytes = sum(len(text.encode()) for text, _ in corpus) / 1e6
    per_type = Counter(span.entity_type for spans in found for span in spans)
    changed = sum(1 for (text, _), spans in zip(corpus, found, strict=True) if engine.anonymize(text, spans)[0] != text)
    median = statistics.median(seconds)
    print(f"{len(corpus)} real pages, {megabytes:.1f} MB, {words:,} words")
    print(f"pages changed: {changed} ({changed / len(corpus):.2%})")
    print(f"spans: {sum(per_type.values())} ({1000 * sum(per_type.values()) / words:.3f} per 1,000 words)")
    print("per type: " + ", ".join(f"{entity} {count}" for entity, count in per_type.most_common()))
    print(f"detection: {median:.2f} s, {megabytes / median:.2f} MB/s (median of {args.repeats})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
