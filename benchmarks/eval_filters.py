"""Evaluate the default filter chain on real web text (a script, not a test).

    python benchmarks/eval_filters.py [--data ../shared/data/web] [--limit N]

Reads every `*.jsonl.gz` under the data folder (the project's shared real pages), normalizes the
text as the pipeline does, and runs `filters.DEFAULT_STEPS`. Prints:

1. drop rates per filter (documents and words) next to the published figures;
2. drop rates per language (the language the data labels it with), for the default chain and
   for the same chain with every language allowed (so the quality rules' effect on each
   language shows, including those written without spaces);
3. agreement of our language ID (fastText lid.176) with the data's `lang_langid` labels.
"""

from __future__ import annotations

import argparse
import copy
import gzip
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from curation.text import normalize_text  # noqa: E402
from filters import DEFAULT_STEPS, apply_chain, build_chain  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "web"

# Published removal rates, as fractions of tokens, from the FineWeb paper (Penedo et al. 2024,
# sections 3.5 and 3.6, measured on Common Crawl text after language ID and deduplication).
# The Gopher paper (Rae et al. 2021, appendix A) publishes thresholds, not removal rates.
PUBLISHED = {
    "language": "FineWeb keeps en >= 0.65 (no rate given)",
    "gopher_repetition": "Gopher: thresholds only (Table A1)",
    "gopher_quality": "Gopher: thresholds only (A.1.1)",
    "c4_lines": "FineWeb: C4 rules w/o terminal punct ~7% tokens",
    "c4_quality": "(with c4_lines) curly bracket 2.8% tokens",
    "fineweb_quality": "FineWeb: ~22% tokens (punct 10.1%, dup lines 12.5%, short 3.7%)",
}
PUBLISHED_REASONS = {
    "c4_quality/curly_bracket": "2.8% tokens",
    "c4_quality/lorem_ipsum": "<0.5% tokens",
    "fineweb_quality/line_punct_ratio": "10.14% tokens",
    "fineweb_quality/char_dup_ratio": "12.47% tokens",
    "fineweb_quality/short_line_ratio": "3.73% tokens",
}


def read_docs(data: Path, limit: int | None) -> list[dict]:
    docs = []
    for path in sorted(data.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                docs.append(
                    {
                        "id": record.get("id"),
                        "url": record.get("url"),
                        "file": path.name,
                        "label": record.get("lang_langid") or "?",
                        "raw_text": record.get("text") or "",
                    }
                )
                if limit and len(docs) >= limit:
                    return docs
    return docs


def run(chain, docs: list[dict]) -> list:
    outcomes = []
    for doc in docs:
        outcomes.append(apply_chain(chain, {"text": doc["text"], "url": doc["url"]}))
    return outcomes


def pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def per_filter_table(steps, docs, outcomes) -> None:
    names = [next(iter(step)) for step in steps]
    reached = Counter()
    dropped = Counter()
    words_reached = Counter()
    words_dropped = Counter()
    reasons = Counter()
    for doc, outcome in zip(docs, outcomes, strict=True):
        n_words = len(doc["text"].split())
        for name in names:
            reached[name] += 1
            words_reached[name] += n_words
            if outcome.stage == name:
                dropped[name] += 1
                words_dropped[name] += n_words
                reasons[(name, outcome.reason)] += 1
                break
    print(f"{'filter':<18} {'docs in':>8} {'dropped':>8} {'docs %':>7} {'words %':>8}   published")
    for name in names:
        print(
            f"{name:<18} {reached[name]:>8} {dropped[name]:>8} {pct(dropped[name], reached[name]):>7} "
            f"{pct(words_dropped[name], words_reached[name]):>8}   {PUBLISHED.get(name, '')}"
        )
    kept = sum(1 for o in outcomes if o.kept)
    print(f"{'kept':<18} {kept:>8} of {len(outcomes)} ({pct(kept, len(outcomes)).strip()})")
    print()
    print(f"  {'filter/reason':<44} {'docs':>6} {'% of docs in':>12}   published")
    for (name, reason), n in sorted(reasons.items(), key=lambda kv: (names.index(kv[0][0]), -kv[1])):
        key = f"{name}/{reason}"
        print(f"  {key:<44} {n:>6} {pct(n, reached[name]):>12}   {PUBLISHED_REASONS.get(key, '')}")


def per_language_table(docs, outcomes, names, min_docs: int) -> None:
    by_lang: dict[str, Counter] = defaultdict(Counter)
    for doc, outcome in zip(docs, outcomes, strict=True):
        counts = by_lang[doc["label"]]
        counts["docs"] += 1
        counts[outcome.stage or "kept"] += 1
    short = {name: name.replace("gopher_", "g_").replace("_quality", "_q").replace("fineweb", "fw") for name in names}
    header = f"{'label':<6} {'docs':>5} " + " ".join(f"{short[n]:>12}" for n in names) + f" {'kept':>7}"
    print(header)
    for lang, counts in sorted(by_lang.items(), key=lambda kv: -kv[1]["docs"]):
        if counts["docs"] < min_docs:
            continue
        cells = " ".join(f"{pct(counts[n], counts['docs']):>12}" for n in names)
        print(f"{lang:<6} {counts['docs']:>5} {cells} {pct(counts['kept'], counts['docs']):>7}")


def language_agreement(docs, outcomes) -> None:
    total = agree = confident = confident_agree = 0
    confusion = Counter()
    for doc, outcome in zip(docs, outcomes, strict=True):
        signals = outcome.signals.get("language")
        label = doc["label"]
        if not signals or label == "?":
            continue
        ours = signals["language"]
        total += 1
        agree += ours == label
        if signals["language_score"] >= 0.65:
            confident += 1
            confident_agree += ours == label
        if ours != label:
            confusion[(label, ours)] += 1
    print(f"documents with a label: {total}")
    print(f"lid.176 agrees with lang_langid: {agree}/{total} = {pct(agree, total).strip()}")
    print(f"  where lid.176 scores >= 0.65: {confident_agree}/{confident} = {pct(confident_agree, confident).strip()}")
    if confusion:
        print(
            "  most frequent disagreements (label -> ours): "
            + ", ".join(f"{a}->{b} {n}" for (a, b), n in confusion.most_common(8))
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of *.jsonl.gz web pages")
    parser.add_argument("--limit", type=int, default=None, help="read at most this many documents")
    parser.add_argument("--min-docs", type=int, default=5, help="languages with fewer documents are not listed")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"error: no data folder at {args.data}", file=sys.stderr)
        return 3

    docs = read_docs(args.data, args.limit)
    for doc in docs:
        doc["text"] = normalize_text(doc.pop("raw_text"))
    empty = [d for d in docs if not d["text"]]
    docs = [d for d in docs if d["text"]]
    files = Counter(d["file"] for d in docs)
    per_file = ", ".join(f"{f} {n}" for f, n in sorted(files.items()))
    print(f"{len(docs)} documents ({per_file}); {len(empty)} empty ones skipped")
    print()

    names = [next(iter(step)) for step in DEFAULT_STEPS]
    started = time.perf_counter()
    outcomes = run(build_chain(DEFAULT_STEPS), docs)
    elapsed = time.perf_counter() - started
    print(f"== 1. Default chain (filters.DEFAULT_STEPS): {len(docs) / elapsed:,.0f} docs/s on one core")
    per_filter_table(DEFAULT_STEPS, docs, outcomes)
    print(
        "  (published rates are shares of tokens of raw Common Crawl text; these pages are mostly main-content\n"
        "   extractions, wcxb's human-reviewed, so lower quality-filter rates are expected here)"
    )
    print()

    print("== 2a. Drop rates per language (data label), default chain (English only)")
    per_language_table(docs, outcomes, names, args.min_docs)
    print()
    all_languages = copy.deepcopy(DEFAULT_STEPS)
    all_languages[0] = {"language": {"languages": None, "min_score": 0.65}}
    multi = run(build_chain(all_languages), docs)
    print("== 2b. Drop rates per language, same chain with every language allowed")
    per_language_table(docs, multi, names, args.min_docs)
    print()
    unspaced = Counter()
    for doc, outcome in zip(docs, multi, strict=True):
        if doc["label"] in ("zh", "ja", "th", "ko"):
            unspaced[(doc["label"], f"{outcome.stage}/{outcome.reason}" if outcome.stage else "kept")] += 1
    if unspaced:
        print(
            "   zh/ja/th/ko outcomes: "
            + ", ".join(f"{lang} {what} {n}" for (lang, what), n in sorted(unspaced.items()))
        )
        print()

    print("== 3. Language-ID agreement (lid.176.ftz vs the data's lang_langid, itself a langid.py guess)")
    language_agreement(docs, multi)
    return 0


if __name__ == "__main__":
    sys.exit(main())
