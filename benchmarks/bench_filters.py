"""Documents per second of our default filter chain against datatrove's equivalent filters.

    python benchmarks/bench_filters.py [--data ../shared/data/web] [--repeats 1] [--limit N]

Both chains run on the same documents in the same run, one process each, one core each:

- ours: `filters.DEFAULT_STEPS` through `filters.apply_chain` (language, Gopher repetition,
  Gopher quality, C4 lines + C4 quality without the terminal-punctuation rule, FineWeb quality);
- datatrove's equivalent, FineWeb's own chain: `LanguageFilter(["en"], 0.65)`,
  `GopherRepetitionFilter()`, `GopherQualityFilter()`,
  `C4QualityFilter(filter_no_terminal_punct=False)`, `FineWebQualityFilter(char_duplicates_ratio=0.1)`
  (the paper's value, as ours), each document passed from filter to filter as datatrove's
  pipeline does.

datatrove is not a dependency of this project: it runs in its own virtual environment,
`benchmarks/.venv` (created on first use with `pip install datatrove spacy ...`; it also needs
the network to PyPI once). Its English word tokenizer is a blank spaCy pipeline (no model
download); its language model is pointed at the same `lid.176.ftz` file ours uses instead of
downloading `lid.176.bin`.

The documents are the shared real web pages (`../shared/data/web/*.jsonl.gz`), normalized as the
pipeline does; without them, a synthetic corpus from `curation.synth`. The timing per chain is
the best of `--repeats` passes (models loaded beforehand). Printed: docs/s of each, the time
per filter, how often the two chains make the same keep/drop decision, and last the ratio
(ours / datatrove; ours must be >= 1). Exit status 1 when ours is slower.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "web"
BENCH_VENV = ROOT / "benchmarks" / ".venv"
DATATROVE_REQUIREMENTS = [
    "datatrove==0.10.1",
    "spacy>=3.8,<3.9",
    "fasttext-numpy2-wheel",  # the binding datatrove checks for
    "fasteners",
    "nltk",
    "regex",
    "tldextract",
    "pyahocorasick",
]


# --------------------------------------------------------------------------------------------
# The datatrove side (runs inside benchmarks/.venv; imports nothing from this project)


def datatrove_worker(docs_path: str, model_path: str, repeats: int) -> dict:
    from datatrove.data import Document
    from datatrove.pipeline.filters import (
        C4QualityFilter,
        FineWebQualityFilter,
        GopherQualityFilter,
        GopherRepetitionFilter,
        LanguageFilter,
    )
    from fasttext.FastText import _FastText

    with open(docs_path, encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]

    language = LanguageFilter(languages=["en"], language_threshold=0.65)
    language.model._model = _FastText(model_path)  # the same lid.176.ftz, no download
    chain = [
        ("language", language),
        ("gopher_repetition", GopherRepetitionFilter()),
        ("gopher_quality", GopherQualityFilter()),
        ("c4_quality", C4QualityFilter(filter_no_terminal_punct=False)),
        ("fineweb_quality", FineWebQualityFilter(char_duplicates_ratio=0.1)),
    ]

    def one_pass():
        per_filter = dict.fromkeys((name for name, _ in chain), 0.0)
        decisions = []
        started = time.perf_counter()
        for record in records:
            doc = Document(text=record["text"], id=record["id"], metadata={"url": record.get("url")})
            decision = None
            for name, step in chain:
                t0 = time.perf_counter()
                result = step.filter(doc)
                per_filter[name] += time.perf_counter() - t0
                keep, reason = result if isinstance(result, tuple) else (result, None)
                if not keep:
                    decision = [name, reason]
                    break
            decisions.append(decision)
        return time.perf_counter() - started, per_filter, decisions

    one_pass_warm = [one_pass() for _ in range(max(1, repeats))]
    best = min(one_pass_warm, key=lambda run: run[0])
    return {"seconds": best[0], "per_filter": best[1], "decisions": best[2]}


# --------------------------------------------------------------------------------------------
# Our side


def load_docs(data: Path, limit: int | None) -> tuple[list[dict], str]:
    sys.path.insert(0, str(ROOT))
    from curation.text import normalize_text

    docs: list[dict] = []
    if data.is_dir() and any(data.glob("*.jsonl.gz")):
        origin = f"{data} (real web pages)"
        for path in sorted(data.glob("*.jsonl.gz")):
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                for line in handle:
                    record = json.loads(line)
                    docs.append(
                        {"id": str(record.get("id")), "url": record.get("url"), "text": record.get("text") or ""}
                    )
    else:
        from curation.synth import generate

        n = limit or 4000
        origin = f"a synthetic corpus (curation.synth, {n:,} documents, seed 0)"
        docs = [{"id": r["id"], "url": r.get("url"), "text": r["text"]} for r in generate(n, 0)]
    for doc in docs:
        doc["text"] = normalize_text(doc["text"])
    docs = [doc for doc in docs if doc["text"]]
    return (docs[:limit] if limit else docs), origin


def ours(docs: list[dict], repeats: int) -> dict:
    from filters import DEFAULT_STEPS, BaseTransformer, build_chain

    chain = build_chain(DEFAULT_STEPS)
    for step in chain:
        step.prepare()

    def one_pass():
        per_filter = dict.fromkeys((step.name for step in chain), 0.0)
        decisions = []
        started = time.perf_counter()
        for record in docs:
            doc = {"text": record["text"], "url": record.get("url")}
            decision = None
            for step in chain:
                t0 = time.perf_counter()
                if isinstance(step, BaseTransformer):
                    text = step.transform(doc).text
                    per_filter[step.name] += time.perf_counter() - t0
                    if not text.strip():
                        decision = [step.name, f"empty_after_{step.name}"]
                        break
                    doc = {**doc, "text": text}
                    continue
                result = step.filter(doc)
                per_filter[step.name] += time.perf_counter() - t0
                if "language" in result.signals:
                    doc = {**doc, "language": result.signals["language"]}
                if not result.keep:
                    decision = [step.name, result.reason]
                    break
            decisions.append(decision)
        return time.perf_counter() - started, per_filter, decisions

    runs = [one_pass() for _ in range(max(1, repeats))]
    best = min(runs, key=lambda run: run[0])
    return {"seconds": best[0], "per_filter": best[1], "decisions": best[2]}


def ensure_bench_venv() -> Path:
    python = BENCH_VENV / "bin" / "python"
    probe = [str(python), "-c", "import datatrove, spacy, fasttext, fasteners"]
    if python.exists() and subprocess.run(probe, capture_output=True).returncode == 0:
        return python
    print(f"setting up {BENCH_VENV} with datatrove (once)...", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(BENCH_VENV)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", *DATATROVE_REQUIREMENTS], check=True)
    return python


def run_datatrove(docs: list[dict], repeats: int) -> dict:
    sys.path.insert(0, str(ROOT))
    from filters.fasttext_model import default_lid_path

    python = ensure_bench_venv()
    with tempfile.TemporaryDirectory() as tmp:
        docs_path = Path(tmp) / "docs.jsonl"
        out_path = Path(tmp) / "result.json"
        with open(docs_path, "w", encoding="utf-8") as handle:
            for doc in docs:
                handle.write(json.dumps(doc, ensure_ascii=False) + "\n")
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONWARNINGS": "ignore", "LOGURU_LEVEL": "WARNING"}
        command = [
            str(python),
            __file__,
            "--datatrove-worker",
            str(docs_path),
            str(default_lid_path()),
            str(repeats),
            str(out_path),
        ]
        subprocess.run(command, check=True, env=env)
        return json.loads(out_path.read_text())


def main(argv: list[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    if argv and argv[0] == "--datatrove-worker":
        docs_path, model_path, repeats, out_path = argv[1:5]
        result = datatrove_worker(docs_path, model_path, int(repeats))
        Path(out_path).write_text(json.dumps(result))
        return 0

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of *.jsonl.gz web pages")
    parser.add_argument("--repeats", type=int, default=1, help="passes per chain; the best counts")
    parser.add_argument("--limit", type=int, default=None, help="use at most this many documents")
    args = parser.parse_args(argv)

    docs, origin = load_docs(args.data, args.limit)
    chars = sum(len(d["text"]) for d in docs)
    print(f"{len(docs)} documents, {chars / 1e6:.1f} M characters, from {origin}")
    print(f"best of {args.repeats} passes per chain, one process each\n")

    mine = ours(docs, args.repeats)
    theirs = run_datatrove(docs, args.repeats)
    ours_rate = len(docs) / mine["seconds"]
    theirs_rate = len(docs) / theirs["seconds"]

    print(f"{'filter':<20} {'ours ms/doc':>12} {'datatrove ms/doc':>17}")
    names = list(dict.fromkeys([*mine["per_filter"], *theirs["per_filter"]]))
    for name in names:
        a = mine["per_filter"].get(name)
        b = theirs["per_filter"].get(name)
        cell_a = f"{1000 * a / len(docs):12.3f}" if a is not None else f"{'-':>12}"
        cell_b = f"{1000 * b / len(docs):17.3f}" if b is not None else f"{'-':>17}"
        print(f"{name:<20} {cell_a} {cell_b}")
    print()

    same_keep = sum((a is None) == (b is None) for a, b in zip(mine["decisions"], theirs["decisions"], strict=True))
    same_stage = sum(
        (a is None and b is None) or (a is not None and b is not None and a[0] == b[0])
        for a, b in zip(mine["decisions"], theirs["decisions"], strict=True)
    )
    kept_ours = sum(d is None for d in mine["decisions"])
    kept_theirs = sum(d is None for d in theirs["decisions"])
    print(f"kept: ours {kept_ours}, datatrove {kept_theirs} of {len(docs)}")
    print(f"same keep/drop decision: {same_keep}/{len(docs)} ({100 * same_keep / len(docs):.1f}%)")
    print(f"same deciding filter:    {same_stage}/{len(docs)} ({100 * same_stage / len(docs):.1f}%)")
    print()
    print(f"ours:      {ours_rate:10,.1f} docs/s  ({mine['seconds']:.2f} s)")
    print(f"datatrove: {theirs_rate:10,.1f} docs/s  ({theirs['seconds']:.2f} s)")
    ratio = ours_rate / theirs_rate
    print(f"ratio (ours / datatrove): {ratio:.2f}")
    return 0 if ratio >= 1 else 1


if __name__ == "__main__":
    sys.exit(main())
