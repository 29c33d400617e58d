"""Parts written as sorted runs and concatenated: the same bytes as one sorted write, however the
runs are cut, with no key gathering more than a run and memory flat in the part's size."""

from __future__ import annotations

import hashlib
import random
import subprocess
import sys
from pathlib import Path

import apache_beam as beam
import pyarrow.parquet as pq
import pytest
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to
from conftest import ROOT

import beam_jobs.write
from beam_jobs.shards import WriteShards
from curation.document import SHARD_SCHEMA, Document
from curation.shards import bucket_of, merge_runs, order_key, run_path, write_part, write_run

OPTIONS = PipelineOptions(["--runner=DirectRunner", "--direct_running_mode=in_memory"])


def _docs(count: int, seed: int = 3) -> list[Document]:
    rng = random.Random(seed)
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"]
    docs = [
        Document(f"doc-{i}", " ".join(rng.choices(words, k=rng.randint(1, 80))), "s", token_count=rng.randint(1, 90))
        for i in range(count)
    ]
    docs.append(Document("doc-7", "a second record under a repeated id", "s", token_count=7))
    return docs


def _keyed(docs: list[Document]) -> list[tuple]:
    return [(order_key(doc.id), doc.token_count, doc.to_row()) for doc in docs]


@pytest.mark.parametrize("runs", [1, 2, 5, 16])
def test_concatenated_runs_are_byte_identical_to_one_sorted_write(tmp_path, runs):
    rows = _keyed(_docs(600))
    whole = write_part(list(rows), SHARD_SCHEMA, str(tmp_path / "whole"), "data", 3, 8, 50)
    random.Random(runs).shuffle(rows)
    written = [
        write_run(
            [row for row in rows if bucket_of(row[0], runs) == run],
            SHARD_SCHEMA,
            run_path(str(tmp_path / "runs"), 3, run),
            run,
            50,
        )
        for run in reversed(range(runs))
    ]
    merged = merge_runs(written, SHARD_SCHEMA, str(tmp_path / "merged"), "data", 3, 8, 50)
    assert merged == whole.__class__(whole.path, whole.rows, whole.weight, whole.bytes, whole.sha256)
    assert not list((tmp_path / "runs").rglob("*.parquet"))  # runs are removed once merged
    row_groups = pq.ParquetFile(tmp_path / "merged" / whole.path).metadata
    assert [row_groups.row_group(i).num_rows for i in range(row_groups.num_row_groups)] == [50] * 12 + [1]
    # a retried merge (its runs already removed) reports the same part without rewriting it
    assert merge_runs(written, SHARD_SCHEMA, str(tmp_path / "merged"), "data", 3, 8, 50) == merged


def _write_shards(docs: list[Document], out: Path, run_bytes: int) -> dict[str, str]:
    """Run `WriteShards`; the sha256 of every file it left under `out`, by relative path."""
    with TestPipeline(options=OPTIONS) as p:
        infos = p | beam.Create(docs) | WriteShards(str(out), 2_000, 64, run_bytes=run_bytes)
        assert_that(infos | beam.Map(lambda info: info["rows"]) | beam.CombineGlobally(sum), equal_to([len(docs)]))
    files = (path for path in out.rglob("*") if path.is_file())
    return {str(path.relative_to(out)): hashlib.sha256(path.read_bytes()).hexdigest() for path in files}


def test_shards_written_in_small_runs_match_one_run_per_shard(tmp_path, monkeypatch):
    """Runs of 4 KB instead of 64 MB: the same shard bytes, and no group much larger than a run."""
    docs = _docs(900)
    one_run = _write_shards(docs, tmp_path / "one", run_bytes=1 << 40)
    sizes = []
    write_run = beam_jobs.write.write_run

    def recording_write_run(keyed_rows, *args):
        sizes.append(sum(256 + len(row["text"]) for _, _, row in keyed_rows))
        return write_run(keyed_rows, *args)

    monkeypatch.setattr(beam_jobs.write, "write_run", recording_write_run)
    small_runs = _write_shards(docs, tmp_path / "small", run_bytes=4096)
    total = sum(256 + len(doc.text) for doc in docs)
    assert small_runs == one_run and len(one_run) > 3  # several shards, byte for byte the same
    assert all(path.startswith("data/part-") for path in small_runs)  # and no run left behind
    assert len(sizes) >= total // 4096 and max(sizes) < 3 * 4096


_MERGE_GROWTH = """
import sys
from curation.document import SHARD_SCHEMA
from curation.shards import RunInfo, merge_runs

def status_kb(field):
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field))

runs = [RunInfo(i, path, 0, 0, 0, "") for i, path in enumerate(sys.argv[1:])]
with open("/proc/self/clear_refs", "w") as refs:
    refs.write("5")  # the peak resident size (VmHWM) restarts from here
before = status_kb("VmRSS:")
merge_runs(runs, SHARD_SCHEMA, sys.argv[1] + ".out", "data", 0, 1, 100)
print((status_kb("VmHWM:") - before) // 1024)
"""


def _merge_growth_mb(paths: list[str]) -> int:
    command = [sys.executable, "-c", _MERGE_GROWTH, *paths]
    return int(subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True).stdout)


def test_merging_a_large_shard_holds_a_few_row_groups_not_the_shard(tmp_path):
    """Over 200 MB of text in 12 runs: merging grows the process (its peak resident size, on
    Linux) by about what merging 2 of those runs does, and by far less than the text."""
    rng = random.Random(5)
    words = [f"w{n}" for n in range(5_000)]
    paths, text_bytes = [], 0
    for run in range(12):
        docs = [Document(f"r{run}-{i:05d}", " ".join(rng.choices(words, k=3_300)), "s") for i in range(1_000)]
        text_bytes += sum(len(doc.text) for doc in docs)
        for copy in ("two", "all"):
            if copy == "all" or run < 2:
                paths.append(
                    write_run(_keyed(docs), SHARD_SCHEMA, run_path(str(tmp_path / copy), 0, run), run, 100).path
                )
    two_runs = _merge_growth_mb([path for path in paths if "/two/" in path])
    all_runs = _merge_growth_mb([path for path in paths if "/all/" in path])
    text_mb = text_bytes / 2**20
    assert text_mb > 200
    assert all_runs < two_runs + text_mb / 6 and all_runs < text_mb / 2, (two_runs, all_runs, text_mb)
