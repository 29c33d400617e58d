"""`curation verify`: recompute an output's checksums and counts and compare them with its manifest."""

from __future__ import annotations

import hashlib
import posixpath

import fsspec
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from curation.catalog import DUPLICATE_STAGES, DUPLICATES, LEDGER, OUTPUTS, REJECTED, SHARDS, Output
from curation.manifest import Manifest, ManifestError, ShardEntry, config_sha256, read_manifest


def _sha256(fs: fsspec.AbstractFileSystem, path: str) -> str:
    digest = hashlib.sha256()
    with fs.open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 22), b""):
            digest.update(block)
    return digest.hexdigest()


def _shard_problems(fs: fsspec.AbstractFileSystem, root: str, shard: ShardEntry) -> list[str]:
    path = posixpath.join(root, shard.path)  # inside data/: `Manifest` refuses any other path
    if not fs.exists(path):
        return [f"{shard.path}: missing"]
    problems = []
    if fs.size(path) != shard.bytes:
        problems.append(f"{shard.path}: {fs.size(path)} bytes, manifest says {shard.bytes}")
    if _sha256(fs, path) != shard.sha256:
        problems.append(f"{shard.path}: sha256 differs from the manifest")
        return problems  # the counts of a file that is not the one written mean little
    with fs.open(path, "rb") as handle:
        tokens_column = pq.read_table(handle, columns=["token_count"])["token_count"]
    if len(tokens_column) != shard.documents:
        problems.append(f"{shard.path}: {len(tokens_column)} rows, manifest says {shard.documents}")
    tokens = pc.sum(tokens_column).as_py() or 0
    if tokens != shard.tokens:
        problems.append(f"{shard.path}: {tokens} tokens, manifest says {shard.tokens}")
    return problems


def _rows(fs: fsspec.AbstractFileSystem, directory: str) -> int | None:
    if not fs.exists(directory):
        return None
    total = 0
    for path in sorted(fs.glob(posixpath.join(directory, "*.parquet"))):
        with fs.open(path, "rb") as handle:
            total += pq.ParquetFile(handle).metadata.num_rows
    return total


def _schema_problems(fs: fsspec.AbstractFileSystem, root: str, output: Output) -> list[str]:
    """Parts of a catalog output whose columns are not the catalog's schema."""
    problems = []
    for path in sorted(fs.glob(posixpath.join(root, output.name, "*.parquet"))):
        try:
            with fs.open(path, "rb") as handle:
                schema = pq.ParquetFile(handle).schema_arrow
        except (OSError, pa.ArrowException):
            problems.append(f"{output.name}/{posixpath.basename(path)}: not a readable Parquet file")
            continue
        if not schema.remove_metadata().equals(output.schema.remove_metadata()):
            problems.append(f"{output.name}/{posixpath.basename(path)}: columns differ from the {output.name} schema")
    return problems


def _total_problems(fs: fsspec.AbstractFileSystem, root: str, manifest: Manifest) -> list[str]:
    problems = []
    shards = manifest.shards
    for key, total, stated in (
        ("output_documents", sum(s.documents for s in shards), manifest.output_documents),
        ("output_tokens", sum(s.tokens for s in shards), manifest.output_tokens),
    ):
        if total != stated:
            problems.append(f"{key}: {stated} but the shards add up to {total}")
    dropped = manifest.dropped_documents
    if manifest.input_documents != manifest.output_documents + dropped:
        problems.append(
            f"input_documents {manifest.input_documents} != "
            f"output_documents {manifest.output_documents} + dropped {dropped}"
        )
    duplicates = sum(n for key, n in manifest.dropped.items() if key.partition("/")[0] in DUPLICATE_STAGES.values())
    for output, expected, what in (
        (LEDGER, dropped, "dropped"),
        (REJECTED, manifest.rejected_records, "rejected_records"),
        (DUPLICATES, duplicates, "dropped as duplicates"),
    ):
        rows = _rows(fs, posixpath.join(root, output.name))
        if rows is not None and rows != expected:
            problems.append(f"{output.name}/: {rows} rows, manifest {what} says {expected}")
    listed = {posixpath.join(root, shard.path) for shard in shards}
    for path in sorted(fs.glob(posixpath.join(root, SHARDS.name, "*.parquet"))):
        if path not in listed:
            problems.append(f"{SHARDS.name}/{posixpath.basename(path)}: not in the manifest")
    if config_sha256(manifest.config) != manifest.config_sha256:
        problems.append("config_sha256 does not match the config in the manifest")
    return problems


def verify_output(output_dir: str) -> list[str]:
    """Every mismatch between an output directory and its manifest (empty when all agree)."""
    fs, root = fsspec.core.url_to_fs(output_dir)
    try:
        manifest = read_manifest(output_dir)
    except FileNotFoundError:
        return [f"no manifest.json in {output_dir}: not a complete output"]
    except ManifestError as error:
        return [str(error)]
    problems = []
    for shard in manifest.shards:
        problems.extend(_shard_problems(fs, root, shard))
    for output in OUTPUTS:
        problems.extend(_schema_problems(fs, root, output))
    return problems + _total_problems(fs, root, manifest)
