"""What `curation stats` reads: an output directory, Parquet files, or raw input, as Arrow batches."""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.parquet as pq

from curation.catalog import SHARDS
from curation.config import InputConfig
from curation.document import Document, Rejection
from curation.manifest import MANIFEST, Manifest, ManifestError, read_manifest

TARGET_BATCH_BYTES = 8 * 1024 * 1024
"""Rows per batch are chosen so a batch holds about this much uncompressed data."""
RAW_BATCH_ROWS = 2048
RAW_COLUMNS = ("id", "text", "url", "domain", "source")

Advance = Callable[[int], None]
"""Called with the number of rows just read (drives the progress bar)."""


class StatsInputError(ValueError):
    """An input `curation stats` cannot read; the message names the path, never its content."""


@dataclass
class Corpus:
    """A resolved input: its kind (`output`, `parquet` or `raw`), files, and the output's manifest."""

    kind: str
    paths: list[str]
    files: list[str]
    output_dir: str | None = None
    manifest: Manifest | None = None
    text_key: str = "text"
    rejected_records: int = 0
    extra: dict = field(default_factory=dict)
    read_paths: list[str] | None = None
    """What raw input is planned from when not `paths` (a directory's files, listed here)."""

    @property
    def bytes_on_disk(self) -> int:
        return sum(os.path.getsize(path) for path in self.files if os.path.isfile(path))


def _is_output_dir(path: str) -> bool:
    return os.path.isdir(path) and (
        os.path.isfile(os.path.join(path, MANIFEST)) or os.path.isdir(os.path.join(path, SHARDS.name))
    )


def _is_saved_dataset(path: str) -> bool:
    """A directory written by `datasets.save_to_disk` (read as raw input, like the pipeline does)."""
    return os.path.isdir(path) and any(
        os.path.isfile(os.path.join(path, name)) for name in ("state.json", "dataset_dict.json")
    )


RAW_SUFFIXES = ".jsonl, .json, .ndjson, .warc, .arc, .wet, .arrow"
"""What `_list_directory` looks for besides Parquet (`curation.io.readers.detect_format` decides)."""


def _format(path: str) -> str | None:
    from curation.io.readers import detect_format

    try:
        return detect_format(path)
    except ValueError:
        return None


def _visible_files(directory: str) -> Iterator[str]:
    """Files under `directory`, recursively and sorted, without names starting with `.` or `_`
    (hidden files, `_SUCCESS` markers, `_temporary` folders) at any depth."""
    seen: set[str] = set()
    for root, folders, names in os.walk(directory, followlinks=True):
        real = os.path.realpath(root)
        if real in seen:  # a link back up the tree: each folder is listed once
            folders[:] = []
            continue
        seen.add(real)
        folders[:] = sorted(name for name in folders if not name.startswith((".", "_")))
        for name in sorted(names):
            path = os.path.join(root, name)
            if not name.startswith((".", "_")) and os.path.isfile(path):
                yield path


def _list_directory(directory: str) -> list[str]:
    """The input files of a plain directory: its Parquet files if it has any, else every file in a
    format the readers recognise by name, read as a glob of them would be."""
    files = list(_visible_files(directory))
    formats = {path: _format(path) for path in files}
    parquet = [path for path in files if formats[path] == "parquet"]
    if parquet:
        return parquet
    raw = [path for path in files if formats[path] is not None]
    if raw:
        return raw
    others = f"; found {len(files)} other file(s), e.g. {os.path.basename(files[0])}" if files else ""
    raise StatsInputError(
        f"no input files under {directory}: looked for Parquet (.parquet, .pq) and raw input ({RAW_SUFFIXES}, "
        f"each optionally .gz, .zst or .zstd compressed), skipping names that start with '.' or '_'{others}"
    )


def _expand(pattern: str) -> list[str]:
    if os.path.isdir(pattern):
        return _list_directory(pattern)
    found = sorted(path for path in glob.glob(pattern, recursive=True) if os.path.isfile(path))
    if not found and os.path.isfile(pattern):
        found = [pattern]
    if not found:
        raise StatsInputError(f"input not found: {pattern}")
    return found


def _read_manifest(output_dir: str) -> Manifest | None:
    path = os.path.join(output_dir, MANIFEST)
    if not os.path.isfile(path):
        return None
    try:
        return read_manifest(output_dir)
    except ManifestError as error:
        raise StatsInputError(f"{output_dir}: {error}") from None
    except OSError as error:
        raise StatsInputError(f"unreadable manifest {path} ({type(error).__name__})") from None


def _output_corpus(output_dir: str) -> Corpus:
    manifest = _read_manifest(output_dir)
    if manifest and manifest.shards:  # their paths are inside data/: `Manifest` refuses any other
        files = [os.path.join(output_dir, shard.path) for shard in manifest.shards]
    else:
        files = sorted(glob.glob(os.path.join(output_dir, SHARDS.name, "*.parquet")))
    missing = [path for path in files if not os.path.isfile(path)]
    if missing:
        raise StatsInputError(f"shard listed in the manifest is missing: {missing[0]}")
    return Corpus("output", [output_dir], files, output_dir=output_dir, manifest=manifest)


def open_corpus(paths: list[str], text_key: str = "text") -> Corpus:
    """Resolve the command's paths: one output directory, Parquet files/globs/folders, or raw input."""
    if not paths:
        raise StatsInputError("no input given")
    outputs = [path for path in paths if _is_output_dir(path)]
    if outputs:
        if len(paths) > 1:
            raise StatsInputError("give one output directory at a time (use --compare A B to compare two)")
        corpus = _output_corpus(paths[0].rstrip("/") or "/")
        corpus.text_key = text_key
        return corpus
    if all(_is_saved_dataset(path) for path in paths):
        corpus = Corpus("raw", list(paths), [], text_key=text_key)
        corpus.files = sorted({task.path for task in _plan(corpus)})
        return corpus
    files = [path for pattern in paths for path in _expand(pattern)]
    if not files:
        raise StatsInputError(f"no input files under {paths[0]}")
    kind = "parquet" if all(path.endswith((".parquet", ".pq")) for path in files) else "raw"
    corpus = Corpus(kind, list(paths), files, text_key=text_key)
    if kind == "raw" and any(os.path.isdir(path) for path in paths):
        corpus.read_paths = files  # the directories' files, as a glob of them would be read
    return corpus


def parquet_rows(files: list[str]) -> int:
    """Rows in the Parquet files, from their footers."""
    return sum(pq.ParquetFile(path).metadata.num_rows for path in files)


def _batch_rows(parquet: pq.ParquetFile, columns: list[str]) -> int:
    metadata = parquet.metadata
    if metadata.num_rows == 0:
        return 1024
    names = set(columns)
    uncompressed = 0
    for group in range(metadata.num_row_groups):
        row_group = metadata.row_group(group)
        for index in range(row_group.num_columns):
            column = row_group.column(index)
            if column.path_in_schema.split(".")[0] in names:
                uncompressed += column.total_uncompressed_size
    per_row = max(uncompressed / metadata.num_rows, 1)
    return int(min(max(TARGET_BATCH_BYTES // per_row, 64), 65_536))


def parquet_batches(
    files: list[str], wanted: list[str], required: str, advance: Advance | None = None
) -> Iterator[pa.RecordBatch]:
    """Batches of the `wanted` columns each file has (the `required` one must be there)."""
    for path in files:
        try:
            parquet = pq.ParquetFile(path)
        except (OSError, pa.ArrowException) as error:
            raise StatsInputError(f"not a readable Parquet file: {path} ({type(error).__name__})") from None
        names = parquet.schema_arrow.names
        if required not in names:
            raise StatsInputError(f"{path} has no '{required}' column (columns: {', '.join(names[:12])})")
        columns = [name for name in wanted if name in names]
        for batch in parquet.iter_batches(batch_size=_batch_rows(parquet, columns), columns=columns):
            if advance:
                advance(batch.num_rows)
            yield batch


def raw_batches(corpus: Corpus, advance_file: Callable[[], None] | None = None) -> Iterator[pa.RecordBatch]:
    """Documents of raw input read as the pipeline reads them, in batches of `RAW_COLUMNS`.

    Unparseable records are counted in `corpus.rejected_records`.
    """
    from curation.io.parse import to_document
    from curation.io.readers import read_file, read_hf_shard
    from curation.io.sources import open_binary

    config = InputConfig(paths=corpus.read_paths or corpus.paths, text_key=corpus.text_key)
    tasks = _plan(corpus)
    rows: list[dict] = []
    schema = pa.schema([(name, pa.string()) for name in RAW_COLUMNS])
    for task in tasks:
        if task.format == "huggingface":
            records = read_hf_shard(task.path, config.split, task.shard)
        else:
            records = read_file(task.path, task.format, open_binary, required=(config.text_key,))
        for record in records:
            result = to_document(record, task, config)
            if isinstance(result, Rejection):
                corpus.rejected_records += 1
                continue
            rows.append(_raw_row(result))
            if len(rows) >= RAW_BATCH_ROWS:
                yield pa.RecordBatch.from_pylist(rows, schema=schema)
                rows = []
        if advance_file:
            advance_file()
    if rows:
        yield pa.RecordBatch.from_pylist(rows, schema=schema)


def _raw_row(doc: Document) -> dict:
    return {"id": doc.id, "text": doc.text, "url": doc.url, "domain": doc.domain, "source": doc.source}


def _plan(corpus: Corpus) -> list:
    from curation.io.sources import InputError, plan_reads

    try:
        return plan_reads(InputConfig(paths=corpus.read_paths or corpus.paths, text_key=corpus.text_key))
    except (InputError, ValueError) as error:
        raise StatsInputError(str(error)) from None


def raw_task_count(corpus: Corpus) -> int:
    """Read tasks (files) of raw input, for the progress bar."""
    return len(_plan(corpus))


def side_output_files(output_dir: str, name: str) -> list[str]:
    """Parquet parts of a side output (`dropped`, `duplicates.parquet`, ...); [] when absent."""
    path = os.path.join(output_dir, name)
    if os.path.isfile(path):
        return [path]
    return sorted(glob.glob(os.path.join(path, "**", "*.parquet"), recursive=True))
