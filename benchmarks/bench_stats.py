"""Throughput of `curation stats` (the default report) next to a plain pyarrow scan of the same files.

Writes shards shaped like a run's output (the shard schema, zstd, 2,000-row row groups) from the
real web pages of ../shared/data/web (or a generated corpus without them), repeated to reach
`--mb` MB of Parquet, then times, on one core (`pyarrow.set_cpu_count(1)`), alternately:

- floor: `ParquetFile.iter_batches` over the columns the report reads, nothing computed;
- stats: `compute_stats` on the same files (every table of the default report);
- stats --safety: the same with the `safety` section (pronouns, identity terms, toxicity, ...);
- stats --safety, toxicity off: the safety section without the toxicity scorer (what the word
  matching and the rest cost on their own).

Prints medians of `--repeats` runs in MB/s of Parquet files and of text, by wall clock and by
CPU time (steadier on a shared machine), the ratio stats / floor, and the ratios of --safety's
time to the plain stats' time (the issue allows at most 1.5), each the median of paired runs.
    python benchmarks/bench_stats.py [--mb 100] [--repeats 5] [--no-safety]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _corpus import benchmark_texts

from curation.document import SHARD_SCHEMA, registered_domain
from curation.stats.inputs import open_corpus
from curation.stats.scan import DOCUMENT_COLUMNS, ScanOptions, compute_stats

ROWS_PER_SHARD = 20_000
LANGUAGES = ("en", "de", "fr", "es", "ja")


def _rows(texts: list[str], copy: int) -> list[dict]:
    rows = []
    for index, text in enumerate(texts):
        domain = registered_domain(f"https://site{index % 997}.example{index % 7}.com/")
        redactions = [{"entity_type": "EMAIL_ADDRESS", "count": 1}] if index % 9 == 0 else None
        rows.append(
            {
                "id": f"{copy}-{index}",
                "text": text,
                "url": f"https://{domain}/{index}",
                "domain": domain,
                "language": LANGUAGES[index % len(LANGUAGES)],
                "language_score": 0.9,
                "token_count": max(1, len(text) // 4),  # a plausible column value; stats only reads it
                "source": "bench",
                "pii_redactions": redactions,
                "metadata": None,
            }
        )
    return rows


def write_shards(directory: Path, megabytes: float) -> tuple[str, list[str]]:
    """Shards of about `megabytes` MB; returns (description, paths)."""
    description, texts = benchmark_texts()
    paths: list[str] = []
    written = copy = 0
    pending: list[dict] = []
    while written < megabytes * 1e6:
        pending += _rows(texts, copy)
        copy += 1
        while len(pending) >= ROWS_PER_SHARD or (pending and written + _estimate(pending) >= megabytes * 1e6):
            chunk, pending = pending[:ROWS_PER_SHARD], pending[ROWS_PER_SHARD:]
            path = directory / f"part-{len(paths):05d}.parquet"
            table = pa.Table.from_pylist(chunk, schema=SHARD_SCHEMA)
            pq.write_table(table, path, compression="zstd", row_group_size=2000)
            paths.append(str(path))
            written += path.stat().st_size
    return description, paths


def _estimate(rows: list[dict]) -> float:
    return sum(len(row["text"]) for row in rows) * 0.4


def floor_scan(paths: list[str]) -> None:
    for path in paths:
        for _ in pq.ParquetFile(path).iter_batches(columns=DOCUMENT_COLUMNS, batch_size=8192):
            pass


def stats_scan(paths: list[str]) -> dict:
    return compute_stats(open_corpus(paths), ScanOptions())


def safety_scan(paths: list[str]) -> dict:
    return compute_stats(open_corpus(paths), ScanOptions(safety=True))


def safety_words_scan(paths: list[str]) -> dict:
    return compute_stats(open_corpus(paths), ScanOptions(safety=True, toxicity=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=100.0, help="MB of Parquet to scan (default 100)")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs of each (default 5)")
    parser.add_argument("--no-safety", action="store_true", help="time the floor and the plain stats only")
    args = parser.parse_args()
    pa.set_cpu_count(1)
    pa.set_io_thread_count(1)
    with tempfile.TemporaryDirectory() as tmp:
        description, paths = write_shards(Path(tmp), args.mb)
        file_mb = sum(Path(path).stat().st_size for path in paths) / 1e6
        stats = stats_scan(paths)  # warm the page cache and imports
        runs = [floor_scan, stats_scan] + ([] if args.no_safety else [safety_scan, safety_words_scan])
        if not args.no_safety:
            safety_words_scan(paths[:1])  # load the word lists and the models once before timing
            safety_scan(paths[:1])
        text_mb = stats["text_bytes"] / 1e6
        times = _time_alternately(paths, args.repeats, runs)
    floor_times, stats_times = times[0], times[1]
    print(
        f"corpus: {description}; {len(paths)} shard(s), {file_mb:.1f} MB of Parquet, {text_mb:.1f} MB of text, "
        f"{stats['documents']:,} documents"
    )
    print(f"one core; medians of {args.repeats} runs; wall clock (CPU time)")
    names = ["pyarrow scan (floor)", "curation stats", "stats --safety", "--safety, no toxicity"]
    for name, measured in zip(names, times, strict=False):
        wall, cpu = (statistics.median(t[i] for t in measured) for i in (0, 1))
        print(
            f"{name:22s} {file_mb / wall:7.1f} ({file_mb / cpu:6.1f}) MB/s of Parquet  "
            f"{text_mb / wall:7.1f} ({text_mb / cpu:6.1f}) MB/s of text"
        )
    ratios = [floor[i] / report[i] for floor, report in zip(floor_times, stats_times, strict=True) for i in (0, 1)]
    wall_ratio = statistics.median(ratios[0::2])
    cpu_ratio = statistics.median(ratios[1::2])
    print(f"ratio stats / floor (throughput, median of paired runs): {wall_ratio:.2f} wall ({cpu_ratio:.2f} CPU)")
    for name, measured in zip(names[2:], times[2:], strict=False):
        wall_ratio, cpu_ratio = (
            statistics.median(run[i] / plain[i] for run, plain in zip(measured, stats_times, strict=True))
            for i in (0, 1)
        )
        print(f"time {name} / stats (median of paired runs; limit 1.5): {wall_ratio:.2f} wall ({cpu_ratio:.2f} CPU)")


def _time_alternately(paths: list[str], repeats: int, runs: list) -> list[list[tuple[float, float]]]:
    """(wall, CPU) seconds of each run, the runs one after the other, `repeats` times."""
    times: list[list[tuple[float, float]]] = [[] for _ in runs]
    for _ in range(repeats):
        for run, measured in zip(runs, times, strict=True):
            wall, cpu = time.perf_counter(), time.process_time()
            run(paths)
            measured.append((time.perf_counter() - wall, time.process_time() - cpu))
    return times


if __name__ == "__main__":
    main()
