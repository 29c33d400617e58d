"""Where our like-for-like run spends its time: py-spy over `curation run` and its Beam workers.

    pip install py-spy   # into the project venv; not a dependency of the project
    python benchmarks/e2e/profile_ours.py [--synthetic-docs 10000 | --real | --input DIR] [--workers N]
                                          [--out /tmp/ours.txt] [--raw FILE]

Runs the like-for-like config of `run.py` once under `py-spy record --subprocesses --format raw`
(collapsed stacks, which speedscope and flamegraph.pl both open), then prints the active samples
(threads waiting on a lock, a queue, gRPC or a child are left out) by pipeline stage, by process
(launcher or Beam workers), and the top leaf functions.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/
sys.path.insert(0, str(Path(__file__).resolve().parent))

import yaml
from bench_scaling import curation_run_command
from run import (
    DEFAULT_DATA,
    OFFLINE_ENV,
    OURS_VARIANTS,
    ROOT,
    ours_config,
    real_records,
    synthetic_records,
    write_split,
)

IDLE = re.compile(
    r"^(Condition\.wait|Event\.wait|_serve |select|poll|sleep|Popen\._try_wait|Popen\.wait|channel_spin|"
    r"_run_channel_spin_thread|Thread\.join|_wait_for_tstate_lock|SimpleQueue\.get|Queue\.get|_recv|recv|accept)"
)
# Matched anywhere in a stack (the filter's own helpers live in the same files as other code)
FILTER_CLASSES = (
    ("language filter (fastText predict)", ("LanguageFilter.", "fasttext/")),
    ("gopher_repetition filter", ("GopherRepetitionFilter.",)),
    ("gopher_quality filter", ("GopherQualityFilter.",)),
)
# Matched from the leaf up: the nearest frame decides
STAGES = (
    ("minhash (signatures, LSH, components)", ("curation/dedup/", "beam_jobs/minhash.py")),
    ("pii (detect, anonymize)", ("curation/pii/", "beam_jobs/pii.py", "presidio", "tldextract")),
    ("token counting (tiktoken)", ("tiktoken", "beam_jobs/tokens.py", "curation/tokens.py")),
    ("normalize", ("curation/text.py", "beam_jobs/normalize.py")),
    ("read + parse JSONL", ("curation/io/", "beam_jobs/read.py")),
    (
        "shards, ledger, report (pyarrow)",
        ("beam_jobs/shards.py", "beam_jobs/write.py", "curation/shards.py", "pyarrow"),
    ),
    ("filter chain (other)", ("filters/", "beam_jobs/filter.py")),
    ("imports / start-up", ("_bootstrap", "importlib")),
    ("Beam runtime (coders, bundles, shuffle, gRPC)", ("apache_beam/", "grpc/")),
)


def attribute(raw: Path, top: int = 15) -> None:
    total = idle = 0
    by_stage, leaves = Counter(), Counter()
    by_process = defaultdict(Counter)
    for line in raw.read_text().splitlines():
        stack, count = line.rsplit(" ", 1)
        n = int(count)
        total += n
        frames = stack.split(";")
        processes = [f for f in frames if f.startswith("process ")]
        python = [f for f in frames if not f.startswith("process ")] or frames
        if IDLE.match(python[-1]):
            idle += n
            continue
        leaves[python[-1]] += n
        stage = next((name for f in reversed(python) for name, keys in STAGES if any(k in f for k in keys)), None)
        owner = next((name for name, keys in FILTER_CLASSES if any(k in f for f in python for k in keys)), None)
        if owner and stage in (None, "filter chain (other)"):
            stage = owner
        stage = stage or "other"
        by_stage[stage] += n
        by_process["launcher" if len(processes) <= 1 else "Beam workers"][stage] += n
    active = max(total - idle, 1)
    shares = ", ".join(f"{name} {100 * sum(c.values()) / active:.0f}%" for name, c in by_process.items())
    print(f"{total:,} samples, {100 * idle / max(total, 1):.0f}% idle; of the active: {shares}")
    print("active samples by stage  [launcher / workers]")
    for stage, n in by_stage.most_common():
        launcher, workers = by_process["launcher"][stage], by_process["Beam workers"][stage]
        split = f"[{100 * launcher / active:.1f} / {100 * workers / active:.1f}]"
        print(f"  {100 * n / active:5.1f}%  {stage:<48} {split}")
    print("top leaf functions (active samples)")
    for leaf, n in leaves.most_common(top):
        print(f"  {100 * n / active:5.1f}%  {leaf}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic-docs", type=int, default=10_000)
    parser.add_argument("--real", action="store_true", help="profile on ../shared/data/web instead")
    parser.add_argument("--input", type=Path, default=None, help="a folder of *.jsonl.gz to profile on instead")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--rate", type=int, default=50, help="samples per second")
    parser.add_argument("--out", type=Path, default=Path("/tmp/ours.txt"), help="collapsed stacks")
    parser.add_argument("--raw", type=Path, default=None, help="only attribute an existing collapsed-stack file")
    args = parser.parse_args()
    if args.raw:
        attribute(args.raw)
        return 0
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(py_spy).exists():
        sys.exit("py-spy is not installed: pip install py-spy")
    with tempfile.TemporaryDirectory(prefix="e2e-profile-") as scratch:
        work = Path(scratch)
        if args.input:
            inputs = sorted(args.input.glob("*.jsonl.gz"))
        else:
            records = (
                real_records(DEFAULT_DATA) if args.real else synthetic_records(work / "s.jsonl.gz", args.synthetic_docs)
            )
            write_split(records, work / "input", args.workers)
            inputs = sorted((work / "input").glob("*.jsonl.gz"))
        config = work / "config.yaml"
        config.write_text(yaml.safe_dump(ours_config(OURS_VARIANTS["like_for_like"]), sort_keys=False))
        command = [
            py_spy,
            "record",
            "--subprocesses",
            "--rate",
            str(args.rate),
            "--format",
            "raw",
            "-o",
            str(args.out),
            "--",
            *curation_run_command(config, inputs, work / "out", args.workers),
        ]
        subprocess.run(command, cwd=ROOT, env={**os.environ, **OFFLINE_ENV}, check=True, capture_output=True)
    print(f"collapsed stacks: {args.out}")
    attribute(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
