"""Output shards: how many, which document goes where, and writing one shard as Parquet."""

from __future__ import annotations

import hashlib
import io
import math
import posixpath
from collections.abc import Iterable
from dataclasses import asdict, dataclass

import fsspec
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from curation.document import SHARD_SCHEMA, Document

COMPRESSION = "zstd"


@dataclass(frozen=True)
class ShardInfo:
    """What the manifest records of one shard; `path` is relative to the output directory."""

    path: str
    documents: int
    tokens: int
    bytes: int
    sha256: str

    def to_dict(self) -> dict:
        return asdict(self)


def shard_count(total_tokens: int, tokens_per_shard: int) -> int:
    """How many shards hold `total_tokens` at about `tokens_per_shard` each (at least one)."""
    return max(1, math.ceil(total_tokens / tokens_per_shard))


def shard_of(doc_id: str, shards: int) -> int:
    """The shard a document goes to: a hash of its id, so independent of run order."""
    digest = hashlib.blake2b(doc_id.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % shards


def shard_name(index: int, shards: int) -> str:
    return f"part-{index:05d}-of-{shards:05d}.parquet"


def table_of(docs: Iterable[Document]) -> pa.Table:
    """Documents as an Arrow table of the shard schema, ordered by id."""
    ordered = sorted(docs, key=lambda doc: doc.id)
    return pa.Table.from_pylist([doc.to_row() for doc in ordered], schema=SHARD_SCHEMA)


def parquet_bytes(table: pa.Table, row_group_size: int) -> bytes:
    """The table as a zstd-compressed Parquet file, byte-identical for identical tables."""
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression=COMPRESSION, row_group_size=row_group_size)
    return buffer.getvalue()


def write_atomically(data: bytes, path: str) -> None:
    """Write a file under a temporary name, then rename it into place."""
    fs, fs_path = fsspec.core.url_to_fs(path)
    fs.makedirs(posixpath.dirname(fs_path), exist_ok=True)
    partial = f"{fs_path}.partial"
    with fs.open(partial, "wb") as handle:
        handle.write(data)
    fs.mv(partial, fs_path)


def write_shard(docs: Iterable[Document], output_dir: str, index: int, shards: int, row_group_size: int) -> ShardInfo:
    """Write one shard under `output_dir/data/` and describe it for the manifest."""
    table = table_of(docs)
    data = parquet_bytes(table, row_group_size)
    relative = f"data/{shard_name(index, shards)}"
    write_atomically(data, posixpath.join(output_dir, relative))
    tokens = pc.sum(table["token_count"]).as_py() or 0
    return ShardInfo(relative, table.num_rows, tokens, len(data), hashlib.sha256(data).hexdigest())
