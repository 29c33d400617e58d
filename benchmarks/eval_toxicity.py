"""The toxicity score checked on a small labelled set and on real pages.

    python benchmarks/eval_toxicity.py [--top 20]

1. tests/data/toxicity_labelled.jsonl: 200 lines written by us (100 toxic: insults, slurs,
   threats, harassment; 100 hard negatives: "kill the process", "Scunthorpe", medical and
   sexual-health terms, news of hate crimes; see tests/data/toxicity_labelled.md). Prints the
   recall (share of toxic lines scored >= 0.5) and the false alarm rate (share of non-toxic lines
   scored >= 0.5), and the misses and false alarms.
2. The real pages of ../shared/data/web: the share of documents (per-line average, Llama 2's
   document score) and of non-blank lines scoring >= 0.5, and the `--top` highest-scoring lines
   (cut to 100 characters; never a whole document) to judge by eye how many are truly toxic.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import real_texts

from curation.toxicity import TOXIC_THRESHOLD, ToxicityScorer, non_blank_lines

LABELLED = Path(__file__).resolve().parents[1] / "tests" / "data" / "toxicity_labelled.jsonl"


def labelled() -> list[dict]:
    return [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines() if line.strip()]


def labelled_rates(rows: list[dict], threshold: float = TOXIC_THRESHOLD) -> dict:
    scores = ToxicityScorer().line_scores([row["text"] for row in rows])
    toxic = [(row, s) for row, s in zip(rows, scores, strict=True) if row["toxic"]]
    clean = [(row, s) for row, s in zip(rows, scores, strict=True) if not row["toxic"]]
    return {
        "toxic_lines": len(toxic),
        "clean_lines": len(clean),
        "recall": sum(s >= threshold for _, s in toxic) / max(len(toxic), 1),
        "false_alarm_rate": sum(s >= threshold for _, s in clean) / max(len(clean), 1),
        "misses": [(row["text"], s) for row, s in toxic if s < threshold],
        "false_alarms": [(row["text"], s) for row, s in clean if s >= threshold],
    }


def real_page_rates(texts: list[str], threshold: float = TOXIC_THRESHOLD, top: int = 20) -> dict:
    scorer = ToxicityScorer()
    documents = scorer.scores(texts)
    lines = [line for text in texts for line in non_blank_lines(text)]
    line_scores = scorer.line_scores(lines)
    distinct = sorted({(s, line) for line, s in zip(lines, line_scores, strict=True)}, reverse=True)
    return {
        "documents": len(texts),
        "toxic_documents": sum(s >= threshold for s in documents),
        "lines": len(lines),
        "toxic_lines": sum(s >= threshold for s in line_scores),
        "top_lines": distinct[:top],
    }


def _cut(text: str, width: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args(argv)

    rates = labelled_rates(labelled())
    print(
        f"labelled set ({LABELLED.name}, written by us): {rates['toxic_lines']} toxic, {rates['clean_lines']} non-toxic"
    )
    print(f"  recall (toxic lines >= {TOXIC_THRESHOLD}): {rates['recall']:.0%}")
    print(f"  false alarms (non-toxic lines >= {TOXIC_THRESHOLD}): {rates['false_alarm_rate']:.0%}")
    for title, items in (("misses", rates["misses"]), ("false alarms", rates["false_alarms"])):
        print(f"  {title}:")
        for text, score in sorted(items, key=lambda item: -item[1]):
            print(f"    {score:.2f}  {_cut(text)}")

    texts = real_texts()
    if not texts:
        print("real pages: ../shared/data/web is absent")
        return 0
    real = real_page_rates(texts, top=args.top)
    print(f"real pages (../shared/data/web): {real['documents']:,} documents, {real['lines']:,} non-blank lines")
    share = real["toxic_documents"] / real["documents"]
    print(f"  documents >= {TOXIC_THRESHOLD}: {real['toxic_documents']} ({share:.2%})")
    print(f"  lines >= {TOXIC_THRESHOLD}: {real['toxic_lines']:,} ({real['toxic_lines'] / real['lines']:.2%})")
    print(f"  top {args.top} distinct lines:")
    for score, line in real["top_lines"]:
        print(f"    {score:.2f}  {_cut(line)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
