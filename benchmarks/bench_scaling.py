"""The full default pipeline at growing corpus sizes: wall time, documents/s, peak memory, growth.

    python benchmarks/bench_scaling.py [--sizes 10000 50000 200000] [--workers 2] [--config configs/default.yaml]

Each size is a generated corpus (`curation synth`, seed 0) run by `curation run` in its own
process on the DirectRunner in `multi_processing` mode. Peak memory is the largest resident
set of the launcher and its worker processes, sampled every 0.2 s, summed across them. The
time per stage is the runner's own processing time per top-level transform (`--metrics`). The last
line is the growth exponent of wall time (slope of log time over log documents between the two
largest sizes; 1.0 is linear).
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def curation_run_command(
    config: Path, inputs: list[Path], output: Path, workers: int, metrics: Path | None = None
) -> list[str]:
    """`curation run` on the DirectRunner in `multi_processing` mode, quiet, as every benchmark runs it."""
    command = [sys.executable, "-m", "curation_cli", "run", "--config", str(config), "--input", *map(str, inputs)]
    command += ["--output", str(output), "--overwrite", "--quiet"]
    if metrics is not None:
        command.append(f"--metrics={metrics}")
    return [*command, "--direct_running_mode=multi_processing", f"--direct_num_workers={workers}"]


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, from /proc (Linux)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            # every thread's children: Beam starts its worker processes from other threads
            children = [
                child for path in Path(f"/proc/{current}/task").glob("*/children") for child in path.read_text().split()
            ]
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
        pending.extend(int(child) for child in children)
    return total / 1024


def run_once(corpus: Path, output: Path, config: Path, workers: int) -> tuple[float, float, dict, dict]:
    command = curation_run_command(config, [corpus], output, workers, Path(f"{output}.metrics.json"))
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, tree_rss_mb(process.pid))
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        sys.exit(f"run failed: {process.stderr.read().decode()[-2000:]}")
    metrics = json.loads(Path(f"{output}.metrics.json").read_text())
    return seconds, peak, json.loads((output / "manifest.json").read_text()), metrics["stage_seconds"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000, 200_000])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--config", type=Path, default=ROOT / "configs" / "default.yaml")
    args = parser.parse_args()
    from curation.synth import write_corpus

    results = []
    with tempfile.TemporaryDirectory() as scratch:
        for size in args.sizes:
            corpus = Path(scratch) / f"synth-{size}.jsonl.gz"
            write_corpus(corpus, size, seed=0)
            seconds, peak, manifest, stages = run_once(corpus, Path(scratch) / f"out-{size}", args.config, args.workers)
            results.append((size, seconds))
            print(
                f"{size:>8,} docs: {seconds:7.1f} s, {size / seconds:6.0f} docs/s, peak {peak:7.0f} MB, "
                f"kept {manifest['output_documents']:,}, dropped {sum(manifest['dropped'].values()):,}",
                flush=True,
            )
            total = sum(stages.values())
            shown = [f"{stage} {spent:.1f} ({spent / total:.0%})" for stage, spent in stages.items() if spent >= 0.1]
            print(f"    processing s per stage (summed over workers): {', '.join(shown)}", flush=True)
    if len(results) >= 2:
        (small, t_small), (large, t_large) = results[-2], results[-1]
        print(
            f"growth exponent of wall time ({small:,} -> {large:,} docs): "
            f"{math.log(t_large / t_small) / math.log(large / small):.2f} (1.0 is linear)"
        )


if __name__ == "__main__":
    main()
