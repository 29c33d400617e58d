"""Partitioned Parquet output: how many parts, which row goes where, and writing one part.

Output shards, the drop ledger, rejected records and duplicates are all written this way: rows
go to a part by a hash of their key and are sorted by key inside it, so the same rows give
byte-identical files however the runner ordered or retried the work.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import posixpath
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any, BinaryIO

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq

COMPRESSION = "zstd"


@dataclass(frozen=True)
class PartInfo:
    """One written part: `path` relative to the output directory, rows, summed weight (tokens)."""

    path: str
    rows: int
    weight: int
    bytes: int
    sha256: str

    def to_dict(self) -> dict:
        return asdict(self)


def part_count(total_weight: int, weight_per_part: int) -> int:
    """How many parts hold `total_weight` at about `weight_per_part` each (at least one)."""
    return max(1, math.ceil(total_weight / weight_per_part))


def part_of(key: str, parts: int) -> int:
    """The part a row goes to: a hash of its key, so independent of run order."""
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % parts


OrderKey = tuple[int, str]
"""Where a document sits in the output order: a 64-bit hash of (seed, id), then the id."""

BUCKETS_PER_SHARD = 4


def order_key(doc_id: str, shuffle_seed: int | None = None) -> OrderKey:
    """The output order of a document: by a hash of its id, salted by the shuffle seed if any."""
    salt = "" if shuffle_seed is None else f"{shuffle_seed}\x1f"
    digest = hashlib.blake2b(f"{salt}{doc_id}".encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big"), doc_id


def bucket_of(key: OrderKey, buckets: int) -> int:
    """A range bucket of the order: bucket i holds the i-th slice of the 64-bit hash space."""
    return (key[0] * buckets) >> 64


def bucket_offsets(bucket_tokens: dict[int, int]) -> dict[int, int]:
    """Tokens before each bucket in the output order (prefix sums over bucket indexes)."""
    offsets, total = {}, 0
    for bucket in sorted(bucket_tokens):
        offsets[bucket] = total
        total += bucket_tokens[bucket]
    return offsets


def first_keys_by_shard(entries: list[tuple[OrderKey, int]], offset: int, tokens_per_shard: int) -> dict[int, OrderKey]:
    """For one bucket's (key, tokens) entries: the smallest key that falls in each shard.

    A document belongs to shard `floor(tokens before it / tokens_per_shard)`, so every shard
    but the last holds the target give or take one document.
    """
    firsts: dict[int, OrderKey] = {}
    start = offset
    for key, tokens in sorted(entries):
        firsts.setdefault(start // tokens_per_shard, key)
        start += tokens
    return firsts


def part_name(index: int, parts: int) -> str:
    return f"part-{index:05d}-of-{parts:05d}.parquet"


class OutputWriteError(OSError):
    """An output file that could not be written (a full disk, a read-only mount); names the file."""


@contextmanager
def _atomic_file(path: str, name: str) -> Iterator[BinaryIO]:
    """A file written under `path.partial` and renamed to `path` when complete. On any failure the
    partial file is removed and an `OutputWriteError` names `name` (what failed, never the data)."""
    fs, fs_path = fsspec.core.url_to_fs(path)
    partial = f"{fs_path}.partial"
    try:
        fs.makedirs(posixpath.dirname(fs_path), exist_ok=True)
        with fs.open(partial, "wb") as handle:
            yield handle
        fs.mv(partial, fs_path)
    except OSError as error:
        _discard(fs, partial)
        reason = error.strerror or type(error).__name__
        raise OutputWriteError(error.errno, f"cannot write output {name}: {reason}") from None
    except BaseException:
        _discard(fs, partial)
        raise


def _discard(fs: fsspec.AbstractFileSystem, path: str) -> None:
    try:
        if fs.exists(path):
            fs.rm(path)
    except OSError:
        pass  # the original failure is the one to report


def write_atomically(data: bytes, path: str) -> None:
    """Write a file under a temporary name, then rename it into place."""
    with _atomic_file(path, posixpath.basename(path)) as handle:
        handle.write(data)


class _HashingWriter(io.RawIOBase):
    """A write-only file that forwards to another and keeps the sha256 and size of what passed."""

    def __init__(self, target):
        self._target = target
        self.sha256 = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._target.write(data)
        self.sha256.update(data)
        self.size += len(data)
        return len(data)

    def tell(self) -> int:
        return self.size


def _order_ties(keyed_rows: list[tuple[Any, int, dict]]) -> None:
    """Order rows that share a key (repeated ids in the input) by their content, in place."""
    start = 0
    while start < len(keyed_rows):
        end = start + 1
        while end < len(keyed_rows) and keyed_rows[end][0] == keyed_rows[start][0]:
            end += 1
        if end - start > 1:
            keyed_rows[start:end] = sorted(
                keyed_rows[start:end], key=lambda item: json.dumps(item[2], sort_keys=True, default=str)
            )
        start = end


def _sorted_tables(
    keyed_rows: list[tuple[Any, int, dict]], schema: pa.Schema, row_group_size: int
) -> Iterator[pa.Table]:
    """`(key, weight, row)` triples sorted by key (ties by content), one row group at a time."""
    keyed_rows.sort(key=lambda item: item[0])
    _order_ties(keyed_rows)
    for start in range(0, len(keyed_rows), row_group_size):
        chunk = keyed_rows[start : start + row_group_size]
        yield pa.Table.from_pylist([row for _, _, row in chunk], schema=schema)


def _write_tables(tables: Iterable[pa.Table], schema: pa.Schema, path: str, name: str) -> tuple[int, str]:
    """Write tables as the row groups of one Parquet file, atomically; returns its size and sha256."""
    with _atomic_file(path, name) as handle:
        sink = _HashingWriter(handle)
        with pq.ParquetWriter(sink, schema, compression=COMPRESSION) as writer:
            for table in tables:
                writer.write_table(table)
    return sink.size, sink.sha256.hexdigest()


def write_part(
    keyed_rows: list[tuple[Any, int, dict]],
    schema: pa.Schema,
    output_dir: str,
    subdir: str,
    index: int,
    parts: int,
    row_group_size: int,
) -> PartInfo:
    """Write `(key, weight, row)` triples, sorted by key, as `output_dir/subdir/part-i-of-n.parquet`.

    Row groups are converted and written one at a time, so memory beyond the rows themselves
    stays at one row group; the file appears under its final name only when complete.
    """
    relative = f"{subdir}/{part_name(index, parts)}"
    tables = _sorted_tables(keyed_rows, schema, row_group_size)
    size, sha256 = _write_tables(tables, schema, posixpath.join(output_dir, relative), relative)
    return PartInfo(relative, len(keyed_rows), sum(item[1] for item in keyed_rows), size, sha256)


RUN_BYTES = 64 * 1024 * 1024
"""About how many bytes of rows one sorted run holds: the most a worker gathers under one key to
write a part, however large the part (a 100-million-token shard is about 460 MB of text)."""


@dataclass(frozen=True)
class RunInfo:
    """One sorted run of a part: its index in the part's order, file path, rows, summed weight,
    and the file's size and sha256."""

    run: int
    path: str
    rows: int
    weight: int
    bytes: int
    sha256: str

    def to_dict(self) -> dict:
        return asdict(self)


def run_path(runs_dir: str, index: int, run: int) -> str:
    return posixpath.join(runs_dir, f"part-{index:05d}", f"run-{run:05d}.parquet")


def write_run(
    keyed_rows: list[tuple[Any, int, dict]], schema: pa.Schema, path: str, run: int, row_group_size: int, name: str = ""
) -> RunInfo:
    """Write one run of a part: its `(key, weight, row)` triples sorted by key, at `path`.
    `name` is what an error calls it (the part it belongs to)."""
    tables = _sorted_tables(keyed_rows, schema, row_group_size)
    size, sha256 = _write_tables(tables, schema, path, name or posixpath.basename(path))
    return RunInfo(run, path, len(keyed_rows), sum(item[1] for item in keyed_rows), size, sha256)


def _row_groups(paths: list[str], schema: pa.Schema, row_group_size: int) -> Iterator[pa.Table]:
    """The rows of run files in order, re-cut into row groups of exactly `row_group_size` rows
    (the last one shorter), so the part's bytes do not depend on where the runs were cut."""
    pending: list[pa.RecordBatch] = []
    pending_rows = 0
    for path in paths:
        with fsspec.open(path, "rb") as handle:
            for batch in pq.ParquetFile(handle).iter_batches(batch_size=row_group_size):
                pending.append(batch)
                pending_rows += batch.num_rows
                while pending_rows >= row_group_size:
                    table = pa.Table.from_batches(pending, schema=schema)
                    yield table.slice(0, row_group_size).combine_chunks()
                    rest = table.slice(row_group_size)
                    pending, pending_rows = rest.combine_chunks().to_batches(), rest.num_rows
    if pending_rows:
        yield pa.Table.from_batches(pending, schema=schema).combine_chunks()


def _hash_file(path: str) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with fsspec.open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
            size += len(block)
    return size, digest.hexdigest()


def merge_runs(
    runs: list[RunInfo],
    schema: pa.Schema,
    output_dir: str,
    subdir: str,
    index: int,
    parts: int,
    row_group_size: int,
) -> PartInfo:
    """Concatenate a part's sorted runs (key ranges, in run order) into its final Parquet file,
    streaming one row group at a time, then remove the runs (a single run is moved into place).

    Memory stays at a few row groups whatever the part's size. The bytes equal those `write_part`
    gives for the same rows. A retry after the runs were removed finds the part complete.
    """
    runs = sorted(runs, key=lambda info: info.run)
    relative = f"{subdir}/{part_name(index, parts)}"
    final = posixpath.join(output_dir, relative)
    fs, final_path = fsspec.core.url_to_fs(final)
    rows, weight = sum(info.rows for info in runs), sum(info.weight for info in runs)
    if not all(fs.exists(info.path) for info in runs) and fs.exists(final):
        size, sha256 = _hash_file(final)  # a retried merge: the part was written and its runs removed
    elif len(runs) == 1:  # a run is written as its part would be: move it into place
        fs.makedirs(posixpath.dirname(final_path), exist_ok=True)
        fs.mv(runs[0].path, final_path)
        size, sha256 = runs[0].bytes, runs[0].sha256
    else:
        paths = [info.path for info in runs]
        size, sha256 = _write_tables(_row_groups(paths, schema, row_group_size), schema, final, relative)
        for path in paths:
            fs.rm(path)
    return PartInfo(relative, rows, weight, size, sha256)


def write_empty_part(schema: pa.Schema, output_dir: str, subdir: str) -> PartInfo | None:
    """Give a directory that received no rows one empty part, so readers find its schema; returns
    the part written, or None when the directory already had one."""
    fs, root = fsspec.core.url_to_fs(posixpath.join(output_dir, subdir))
    if fs.exists(root) and fs.ls(root, detail=False):
        return None
    return write_part([], schema, output_dir, subdir, 0, 1, 1)
