"""Speed of the toxicity score: ours against the plain alt-profanity-check call, in one run.

    python benchmarks/bench_toxicity.py [--repeats 5] [--docs N]

Both score every page of ../shared/data/web (or a generated corpus without it) as Llama 2 did:
each non-blank line, averaged per page. "plain" is what a user of alt-profanity-check writes,
`profanity_check.predict_prob(lines)` on all the lines at once (its vectorizer's `transform`,
then the calibrated SVM's `predict_proba`); "ours" is `curation.toxicity.ToxicityScorer().scores`.
Prints MB/s (UTF-8 bytes of page text per second, medians of the repeats) side by side, the
ratio, and the largest difference between the two per-line and per-page scores.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import benchmark_texts

from curation import toxicity
from curation.toxicity import ToxicityScorer


def plain_scores(texts: list[str]) -> list[float]:
    """Per-page means of alt-profanity-check's `predict_prob` over all the pages' lines."""
    from profanity_check import predict_prob

    return toxicity.plain_scores(texts, predict_prob)


def _timed(function, texts: list[str], repeats: int) -> tuple[float, list[float]]:
    times, result = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        result = function(texts)
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--docs", type=int, default=0, help="only the first N pages (0: all)")
    args = parser.parse_args(argv)
    description, texts = benchmark_texts()
    if args.docs:
        texts = texts[: args.docs]
    megabytes = sum(len(t.encode("utf-8", "surrogatepass")) for t in texts) / 1e6
    lines = sum(len(toxicity.non_blank_lines(t)) for t in texts)
    print(f"{description}: {len(texts):,} pages, {lines:,} non-blank lines, {megabytes:.1f} MB")

    scorer = ToxicityScorer()
    scorer.scores(texts[:50])  # load both models outside the timings
    plain_scores(texts[:50])
    ours_s, ours = _timed(scorer.scores, texts, args.repeats)
    plain_s, plain = _timed(plain_scores, texts, args.repeats)

    from profanity_check import predict_prob

    all_lines = [line for text in texts for line in toxicity.non_blank_lines(text)]
    line_diff = max(
        (abs(a - float(b)) for a, b in zip(scorer.line_scores(all_lines), predict_prob(all_lines), strict=True)),
        default=0.0,
    )
    page_diff = max((abs(a - b) for a, b in zip(ours, plain, strict=True)), default=0.0)

    print(f"{'':28}{'MB/s':>10}{'pages/s':>12}{'seconds':>10}   (median of {args.repeats})")
    for name, seconds in (("plain alt-profanity-check", plain_s), ("ours (ToxicityScorer)", ours_s)):
        print(f"{name:28}{megabytes / seconds:10.1f}{len(texts) / seconds:12,.0f}{seconds:10.3f}")
    print(f"ratio ours / plain: {plain_s / ours_s:.1f}x")
    print(f"max |ours - plain|: lines {line_diff:.2e}, pages {page_diff:.2e}")
    return 0 if line_diff <= 1e-9 and page_diff <= 1e-9 else 1


if __name__ == "__main__":
    sys.exit(main())
