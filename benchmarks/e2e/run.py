"""End to end: the same logical pipeline in datatrove 0.10.1 and in ours, same corpus, same machine, same run.

    python benchmarks/e2e/run.py [--synthetic-docs 50000] [--workers N] [--repeats 1] [--skip-datatrove]
                                 [--corpus real|synthetic|both] [--no-ner] [--keep-scratch]

The pipeline (FineWeb's recipe cut to the stages both systems have): read JSONL.gz -> language
(fastText lid.176, English, score 0.65) -> Gopher repetition -> Gopher quality -> MinHash
near-duplicate removal (word 5-grams, 16 bands x 8 rows = 128 permutations, no verification)
-> e-mail and IP address replacement -> Parquet. See `benchmarks/e2e/README.md` for the exact
configuration of each side and what is not the same.

- datatrove: `benchmarks/e2e/datatrove_side.py` inside `benchmarks/.venv` (created on first use,
  as `bench_filters.py` does, plus the few packages its MinHash and Parquet blocks import), four
  `LocalPipelineExecutor`s run one after the other as in datatrove's `examples/fineweb.py`;
  tasks = input files = workers for the per-document executors, one task per bucket for
  `MinhashDedupBuckets`, one for `MinhashDedupCluster`.
- ours: `curation run` with a generated config on the DirectRunner in `multi_processing` mode with
  `--direct_num_workers=N`; then, timed apart, ours with the default PII tier and domain scoring,
  and (real corpus only, unless `--no-ner`) with spaCy NER.

Corpora: the real pages of `../shared/data/web/*.jsonl.gz` (skipped when absent) and a synthetic
corpus from `curation.synth.write_corpus`, each split into as many JSONL.gz files as workers,
read by both systems. Measured per run: wall time of the whole process tree, documents/s (input
documents / wall), peak memory (summed RSS of the tree, sampled every 0.2 s), documents kept,
and the agreement of the two like-for-like outputs by id. The last line is the ratio
ours / datatrove in documents/s on the like-for-like run (the synthetic corpus when it ran).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the project
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/
sys.path.insert(0, str(Path(__file__).resolve().parent))  # benchmarks/e2e/

import e2e_report as compare
from bench_filters import BENCH_VENV, DEFAULT_DATA, ensure_bench_venv
from bench_scaling import curation_run_command, tree_rss_mb

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

# What datatrove's MinHash, JSONL and Parquet blocks import beyond bench_filters.py's set (its
# `io` and `processing` extras): `datatrove.pipeline.dedup` imports its exact-substring block,
# which imports `tokenizers`; MinhashConfig's default hash is xxhash; JsonlReader needs orjson.
E2E_EXTRA_REQUIREMENTS = ["pyarrow", "xxhash<4", "orjson", "tokenizers"]
OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS": "",
    "PYTHONWARNINGS": "ignore",
    "TQDM_DISABLE": "1",
    "DATATROVE_COLORIZE_LOGS": "0",
}


# --------------------------------------------------------------------------------------------
# Set-up


def ensure_e2e_venv() -> Path:
    """benchmarks/.venv with datatrove (bench_filters.py's set) and the packages its pipeline blocks need."""
    python = ensure_bench_venv()
    probe = [str(python), "-c", "import pyarrow, xxhash, orjson, datatrove.pipeline.dedup, datatrove.executor"]
    if subprocess.run(probe, capture_output=True).returncode != 0:
        print(f"adding {', '.join(E2E_EXTRA_REQUIREMENTS)} to {BENCH_VENV} (once)...", flush=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", *E2E_EXTRA_REQUIREMENTS], check=True)
    return python


def write_split(records, folder: Path, parts: int) -> int:
    """Write records round-robin into `parts` JSONL.gz files; returns the number written."""
    folder.mkdir(parents=True)
    count = 0
    with contextlib.ExitStack() as stack:
        handles = [
            stack.enter_context(gzip.open(folder / f"part-{i:05d}.jsonl.gz", "wt", encoding="utf-8"))
            for i in range(parts)
        ]
        for count, record in enumerate(records, 1):
            handles[(count - 1) % parts].write(json.dumps(record, ensure_ascii=False) + "\n")
    return count


def real_records(data: Path):
    """id, url and text of every real page (other fields differ between sources and are dropped, so
    that datatrove's ParquetWriter, which infers its schema from the first document, can write them)."""
    for path in sorted(data.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                yield {"id": str(row["id"]), "url": row.get("url"), "text": row.get("text") or ""}


def synthetic_records(path: Path, n: int):
    from curation.synth import write_corpus

    write_corpus(path, n, seed=0)
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


# --------------------------------------------------------------------------------------------
# Running and measuring


def measure(command: list[str], env: dict, log: Path, cwd: Path = ROOT) -> dict:
    """Run a command; wall seconds and peak summed RSS of its process tree (sampled every 0.2 s)."""
    with open(log, "wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        peak = 0.0
        while process.poll() is None:
            peak = max(peak, tree_rss_mb(process.pid))
            time.sleep(0.2)
        seconds = time.perf_counter() - started
    if process.returncode != 0:
        tail = log.read_text(errors="replace")[-3000:]
        raise SystemExit(f"command failed ({process.returncode}): {' '.join(command)}\n{tail}")
    return {"seconds": seconds, "peak_mb": peak}


def ours_config(pii: dict) -> dict:
    return {
        "filters": {
            "steps": [
                {"language": {"languages": ["en"], "min_score": 0.65}},
                {"gopher_repetition": None},
                {"gopher_quality": None},
            ]
        },
        "exact_dedup": {"enabled": False},  # datatrove's chain has no exact-dedup stage
        "minhash": {"enabled": True, "num_perm": 128, "ngram_size": 5, "bands": 16, "rows": 8, "verify": "off"},
        "pii": pii,
    }


OURS_VARIANTS = {
    # datatrove's PIIFormatter replaces e-mails and IP addresses with regexes, nothing else
    "like_for_like": {
        "enabled": True,
        "entities": ["EMAIL_ADDRESS", "IP_ADDRESS"],
        "ner": False,
        "domains": {"enabled": False},
    },
    "pii_default": {"enabled": True, "entities": None, "ner": False, "domains": {"enabled": True}},
    "pii_ner": {"enabled": True, "entities": None, "ner": True, "domains": {"enabled": True}},
}
VARIANT_LABELS = {
    "datatrove": "datatrove 0.10.1, like for like",
    "like_for_like": "ours, like for like",
    "pii_default": "ours, default PII tier + domain scoring",
    "pii_ner": "ours, default PII tier + NER + domains",
}


def run_ours(variant: str, inputs: list[Path], work: Path, workers: int) -> dict:
    import yaml

    work.mkdir(parents=True)
    config = work / "config.yaml"
    config.write_text(yaml.safe_dump(ours_config(OURS_VARIANTS[variant]), sort_keys=False))
    output = work / "out"
    command = curation_run_command(config, inputs, output, workers, work / "metrics.json")
    result = measure(command, {**os.environ, **OFFLINE_ENV}, work / "log.txt")
    manifest = json.loads((output / "manifest.json").read_text())
    stages = json.loads((work / "metrics.json").read_text())["stage_seconds"]
    kept = manifest["output_documents"]
    return {**result, "output": str(output), "manifest": manifest, "kept": kept, "stages": stages}


def run_datatrove(python: Path, input_dir: Path, tasks: int, work: Path, workers: int) -> dict:
    from filters.fasttext_model import default_lid_path

    work.mkdir(parents=True)
    spec = {
        "input": str(input_dir),
        "scratch": str(work),
        "model": str(default_lid_path()),
        "tasks": tasks,
        "workers": workers,
        "output": str(work / "out"),
        "result": str(work / "result.json"),
    }
    (work / "spec.json").write_text(json.dumps(spec))
    env = {**os.environ, **OFFLINE_ENV, "HF_ASSETS_CACHE": str(work / "hf_assets")}
    env.pop("VIRTUAL_ENV", None)
    result = measure([str(python), str(HERE / "datatrove_side.py"), str(work / "spec.json")], env, work / "log.txt")
    inner = json.loads((work / "result.json").read_text())
    kept = compare.parquet_ids(work / "out")
    return {
        **result,
        "executors": inner["seconds"],
        "stats": inner["stats"],
        "output": str(work / "out"),
        "kept": len(kept),
        "work": str(work),
    }


def median_run(runs: list[dict]) -> dict:
    """The run of median wall time (the lower middle of an even count), with the largest peak
    memory seen in any repeat: the machine is shared, so a median, not a best case."""
    middle = sorted(runs, key=lambda run: run["seconds"])[(len(runs) - 1) // 2]
    return {**middle, "peak_mb": max(run["peak_mb"] for run in runs), "repeats": len(runs)}


# --------------------------------------------------------------------------------------------
# One corpus


def bench_corpus(name: str, records, args, scratch: Path, python: Path | None, with_ner: bool) -> dict:
    input_dir = scratch / name / "input"
    docs = write_split(records, input_dir, args.files)
    inputs = sorted(input_dir.glob("*.jsonl.gz"))
    size_mb = sum(path.stat().st_size for path in inputs) / 1e6
    print(f"\n== {name}: {docs:,} documents in {len(inputs)} JSONL.gz files ({size_mb:.1f} MB compressed)", flush=True)
    variants = ["like_for_like", "pii_default"] + (["pii_ner"] if with_ner else [])
    runs: dict[str, list[dict]] = {key: [] for key in (["datatrove"] if python else []) + variants}
    for repeat in range(args.repeats):
        for key in runs:
            work = scratch / name / f"{key}-{repeat}"
            print(f"   running {VARIANT_LABELS[key]} (repeat {repeat + 1}/{args.repeats})...", flush=True)
            if key == "datatrove":
                runs[key].append(run_datatrove(python, input_dir, len(inputs), work, args.workers))
            else:
                runs[key].append(run_ours(key, inputs, work, args.workers))
            print(f"     {runs[key][-1]['seconds']:.1f} s", flush=True)
    results = {key: median_run(value) for key, value in runs.items()}
    (scratch / name / "results.json").write_text(json.dumps({"docs": docs, "results": results}))
    compare.print_corpus_report(name, docs, results, VARIANT_LABELS, input_dir)
    return {"docs": docs, "results": results}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic-docs", type=int, default=50_000, help="size of the generated corpus")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes for each system")
    parser.add_argument("--files", type=int, default=None, help="input files per corpus (default: --workers)")
    parser.add_argument("--repeats", type=int, default=1, help="runs of each; the median counts")
    parser.add_argument("--skip-datatrove", action="store_true", help="run ours only")
    parser.add_argument("--corpus", choices=["real", "synthetic", "both"], default="both")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of real *.jsonl.gz pages")
    parser.add_argument("--no-ner", action="store_true", help="skip ours with spaCy NER on the real corpus")
    parser.add_argument("--keep-scratch", action="store_true", help="keep the temporary folder and print it")
    args = parser.parse_args(argv)
    args.files = max(args.files or args.workers, 1)

    python = None if args.skip_datatrove else ensure_e2e_venv()
    print(
        f"{args.workers} worker(s) per system on {os.cpu_count()} cores; {args.files} input file(s) per corpus; "
        f"median of {args.repeats} run(s)"
    )
    scratch = Path(tempfile.mkdtemp(prefix="e2e-bench-"))
    summary = {}
    try:
        if args.corpus in ("real", "both"):
            if any(args.data.glob("*.jsonl.gz")):
                summary["real"] = bench_corpus(
                    "real", real_records(args.data), args, scratch, python, with_ner=not args.no_ner
                )
            else:
                print(f"\n== real: skipped, no *.jsonl.gz in {args.data}")
        if args.corpus in ("synthetic", "both"):
            corpus_file = scratch / f"synth-{args.synthetic_docs}.jsonl.gz"
            records = synthetic_records(corpus_file, args.synthetic_docs)
            summary[f"synthetic {args.synthetic_docs:,}"] = bench_corpus(
                "synthetic", records, args, scratch, python, with_ner=False
            )
    finally:
        if args.keep_scratch:
            print(f"\nscratch kept in {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)

    if python is None or not summary:
        print("\nratio: not measured (datatrove skipped or no corpus ran)")
        return 0
    name = next((key for key in summary if key.startswith("synthetic")), next(iter(summary)))
    results, docs = summary[name]["results"], summary[name]["docs"]
    ours_rate = docs / results["like_for_like"]["seconds"]
    theirs_rate = docs / results["datatrove"]["seconds"]
    print(
        f"\nratio ours / datatrove, documents/s, like-for-like run on the {name} corpus: "
        f"{ours_rate / theirs_rate:.2f} ({ours_rate:,.1f} vs {theirs_rate:,.1f} docs/s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
