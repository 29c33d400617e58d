"""Planning what to read: input patterns expanded into files (local or remote, via fsspec)."""

from __future__ import annotations

import json
import os
import posixpath
from dataclasses import asdict, dataclass
from typing import BinaryIO

import fsspec
from fsspec.implementations.local import LocalFileSystem

from curation.config import InputConfig
from curation.io.readers import detect_format

_HF_STATE = "state.json"
_HF_DICT = "dataset_dict.json"


class InputError(ValueError):
    """An input that does not exist or cannot be planned; the message names the path."""


@dataclass(frozen=True)
class ReadTask:
    """One unit of reading, handed to one worker: a file, or a shard of a `datasets` dataset."""

    path: str
    format: str
    source: str
    shard: int | None = None

    @property
    def key(self) -> str:
        """The path (plus the shard for datasets): where rejections point, the basis of stable ids."""
        return self.path if self.shard is None else f"{self.path}#shard={self.shard}"


def write_task_chunks(tasks: list[ReadTask], directory: str, chunk_size: int) -> list[str]:
    """Write the tasks as JSON Lines files of `chunk_size` tasks each; returns their paths.

    A job graph carries these paths instead of the tasks: a crawl of 90,000 files would
    otherwise make the graph larger than runners such as Dataflow accept.
    """
    fs, root = fsspec.core.url_to_fs(directory)
    fs.makedirs(root, exist_ok=True)
    paths = []
    for index in range(0, len(tasks), chunk_size):
        path = posixpath.join(directory, f"tasks-{index // chunk_size:06d}.jsonl")
        with fsspec.open(path, "w", encoding="utf-8") as handle:
            handle.writelines(json.dumps(asdict(task)) + "\n" for task in tasks[index : index + chunk_size])
        paths.append(path)
    return paths


def read_task_chunk(path: str) -> list[ReadTask]:
    """The tasks of one file written by `write_task_chunks`."""
    with fsspec.open(path, "r", encoding="utf-8") as handle:
        return [ReadTask(**json.loads(line)) for line in handle]


def open_binary(path: str) -> BinaryIO:
    """Open a local or remote file for binary reading, without decompression."""
    return fsspec.open(path, "rb").open()


def source_name(path: str) -> str:
    """A source name from a file name: `CC-MAIN-x.warc.wet.gz` -> `CC-MAIN-x`."""
    name = posixpath.basename(path.rstrip("/"))
    for suffix in (".gz", ".zst", ".zstd", ".wet", ".warc", ".jsonl", ".json", ".ndjson", ".parquet", ".arrow"):
        name = name.removesuffix(suffix)
    return name or "input"


def _expand(pattern: str) -> tuple[fsspec.AbstractFileSystem, list[str]]:
    fs, _, paths = fsspec.core.get_fs_token_paths(pattern)
    found = sorted(p for p in paths if fs.exists(p))
    if not found:
        raise InputError(f"input not found: {pattern}")
    return fs, found


def _hf_disk_files(fs: fsspec.AbstractFileSystem, directory: str, split: str) -> list[str]:
    if fs.exists(posixpath.join(directory, _HF_DICT)):
        directory = posixpath.join(directory, split)
        if not fs.exists(posixpath.join(directory, _HF_STATE)):
            raise InputError(f"split '{split}' not found in saved dataset {directory}")
    state_path = posixpath.join(directory, _HF_STATE)
    try:
        with fs.open(state_path, "r") as handle:
            state = json.load(handle)
        return [posixpath.join(directory, entry["filename"]) for entry in state["_data_files"]]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise InputError(f"not a dataset saved with save_to_disk: {directory} ({type(error).__name__})") from None


def _hf_shards(path: str, split: str) -> int:
    import datasets

    try:
        return datasets.load_dataset(path, split=split, streaming=True).num_shards
    except Exception as error:  # noqa: BLE001 - any loader failure is a bad input path
        raise InputError(f"cannot load dataset {path} (split {split}): {type(error).__name__}: {error}") from None


def _tasks_for(fs: fsspec.AbstractFileSystem, path: str, config: InputConfig) -> list[ReadTask]:
    remote = not isinstance(fs, LocalFileSystem)
    full = fs.unstrip_protocol(path) if remote else path
    source = config.source or source_name(full)
    fmt = config.format
    is_dir = fs.isdir(path)
    if fmt == "huggingface":
        return [ReadTask(full, fmt, source, shard) for shard in range(_hf_shards(full, config.split))]
    if is_dir and (fmt in ("auto", "hf_disk")):
        files = _hf_disk_files(fs, path, config.split)
        return [ReadTask(fs.unstrip_protocol(f) if remote else f, "hf_disk", source) for f in files]
    if is_dir:
        raise InputError(f"input is a directory, give a glob of files instead: {full}")
    return [ReadTask(full, detect_format(full) if fmt == "auto" else fmt, source)]


def plan_reads(config: InputConfig, patterns: list[str] | None = None) -> list[ReadTask]:
    """Every read task for the input patterns, in a stable order; raises `InputError`."""
    patterns = patterns if patterns is not None else config.paths
    if not patterns:
        raise InputError("no input given: set input.paths in the config or pass --input")
    tasks: list[ReadTask] = []
    for pattern in patterns:
        fs, paths = _expand(pattern)
        for path in paths:
            try:
                tasks.extend(_tasks_for(fs, path, config))
            except ValueError as error:
                raise InputError(str(error)) from None
    return _distinct(tasks)


def _distinct(tasks: list[ReadTask]) -> list[ReadTask]:
    """Each file once, however many patterns, links or `..` spellings name it (the first kept)."""
    seen: dict[tuple[str, int | None], ReadTask] = {}
    for task in tasks:
        path = task.path if "://" in task.path else os.path.realpath(task.path)
        seen.setdefault((path, task.shard), task)
    return list(seen.values())
