"""Planning what to read: input patterns expanded into files (local or remote, via fsspec)."""

from __future__ import annotations

import json
import os
import posixpath
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import BinaryIO

import fsspec
from fsspec.implementations.local import LocalFileSystem

from curation.catalog import SHARDS
from curation.config import InputConfig
from curation.io.readers import detect_format, known_suffixes
from curation.manifest import MANIFEST

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


def normalized(path: str) -> str:
    """A path without `.` or `..` segments or repeated slashes: `a/./b/../c` -> `a/c`.

    Local paths are normalised with `posixpath.normpath`; a URL keeps its scheme (and its bucket
    or host, which `..` cannot climb out of), and an HTTP URL its query and fragment. The path is
    treated as text: a `..` after a symbolic link names the link's parent, not its target's.
    """
    if "://" not in path:
        return posixpath.normpath(path) if path else path
    scheme, rest = path.split("://", 1)
    tail = ""
    if scheme.lower() in ("http", "https"):
        cut = min((i for i in (rest.find("?"), rest.find("#")) if i >= 0), default=len(rest))
        rest, tail = rest[:cut], rest[cut:]
    root, slash, key = rest.partition("/")
    if not slash or not key:
        return path
    clean = posixpath.normpath("/" + key).lstrip("/")
    ending = "/" if key.endswith("/") and clean else ""
    return f"{scheme}://{root}/{clean}{ending}{tail}"


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


def _is_saved_dataset(fs: fsspec.AbstractFileSystem, directory: str) -> bool:
    return fs.exists(posixpath.join(directory, _HF_STATE)) or fs.exists(posixpath.join(directory, _HF_DICT))


def _hidden(name: str) -> bool:
    """Names a run or a tool keeps for itself: `.crc`, `.git`, `_SUCCESS`, `_staging`."""
    return name.startswith((".", "_"))


def _directory_entries(fs: fsspec.AbstractFileSystem, directory: str) -> list[tuple[str, bool]]:
    """(path, is a saved dataset) for what a directory holds, recursively, in sorted order.

    Hidden names (a leading `.` or `_`) are skipped, files and folders alike; a folder below the
    top that holds a `save_to_disk` dataset is one entry, not its files. One listing per folder:
    no more requests than the folders a remote directory holds."""
    entries: list[tuple[str, bool]] = []
    local = isinstance(fs, LocalFileSystem)
    visited: set[str] = set()  # local folders seen, by real path: a link loop is walked once
    for index, (root, folders, files) in enumerate(fs.walk(directory, topdown=True)):
        if index and (_HF_STATE in files or _HF_DICT in files):  # index 0: the top, planned already
            entries.append((root, True))
            folders[:] = []
            continue
        kept = sorted(name for name in folders if not _hidden(name))
        if local:
            visited.add(os.path.realpath(root))
            kept = [name for name in kept if os.path.realpath(posixpath.join(root, name)) not in visited]
        folders[:] = kept
        entries.extend((posixpath.join(root, name), False) for name in files if not _hidden(name))
    return sorted(entries)


def _known_format(path: str) -> bool:
    try:
        detect_format(path)
    except ValueError:
        return False
    return True


def _hf_shards(path: str, split: str) -> int:
    import datasets

    try:
        return datasets.load_dataset(path, split=split, streaming=True).num_shards
    except Exception as error:  # noqa: BLE001 - any loader failure is a bad input path
        raise InputError(f"cannot load dataset {path} (split {split}): {type(error).__name__}: {error}") from None


def _tasks_for(fs: fsspec.AbstractFileSystem, path: str, config: InputConfig) -> list[ReadTask]:
    remote = not isinstance(fs, LocalFileSystem)

    def named(found: str) -> str:
        return normalized(fs.unstrip_protocol(found) if remote else found)

    full = named(path)
    source = config.source or source_name(full)
    fmt = config.format
    if fmt == "huggingface":
        return [ReadTask(full, fmt, source, shard) for shard in range(_hf_shards(full, config.split))]
    if not fs.isdir(path):
        return [ReadTask(full, detect_format(full) if fmt == "auto" else fmt, source)]
    if fmt in ("auto", "hf_disk") and _is_saved_dataset(fs, path):
        return [ReadTask(named(f), "hf_disk", source) for f in _hf_disk_files(fs, path, config.split)]
    return _directory_tasks(fs, path, full, config, named)


def _directory_tasks(
    fs: fsspec.AbstractFileSystem, path: str, full: str, config: InputConfig, named: Callable[[str], str]
) -> list[ReadTask]:
    """A folder of input files, read recursively in sorted order (hidden names skipped), and the
    saved datasets inside it; with `format: auto`, only files whose names tell their format. The
    output directory of a run is read as its shards (`data/`), not its manifest and side outputs."""
    shards = posixpath.join(path, SHARDS.name)
    if fs.exists(posixpath.join(path, MANIFEST)) and fs.isdir(shards):
        path, full = shards, posixpath.join(full, SHARDS.name)
    tasks: list[ReadTask] = []
    for entry, is_dataset in _directory_entries(fs, path):
        if is_dataset:
            if config.format in ("auto", "hf_disk"):
                source = config.source or source_name(named(entry))
                tasks.extend(ReadTask(named(f), "hf_disk", source) for f in _hf_disk_files(fs, entry, config.split))
        elif config.format != "auto":
            tasks.append(ReadTask(named(entry), config.format, config.source or source_name(named(entry))))
        elif _known_format(entry):
            tasks.append(ReadTask(named(entry), detect_format(entry), config.source or source_name(named(entry))))
    if not tasks:
        looked_for = (
            f"{config.format} files"
            if config.format != "auto"
            else f"files ending in {known_suffixes()}, or a save_to_disk dataset ({_HF_STATE} or {_HF_DICT})"
        )
        raise InputError(f"no input files in directory {full}: looked for {looked_for}; hidden names (. or _) skipped")
    return tasks


def plan_reads(config: InputConfig, patterns: list[str] | None = None) -> list[ReadTask]:
    """Every read task for the input patterns, in a stable order; raises `InputError`."""
    patterns = patterns if patterns is not None else config.paths
    if not patterns:
        raise InputError("no input given: set input.paths in the config or pass --input")
    tasks: list[ReadTask] = []
    for pattern in patterns:
        fs, paths = _expand(normalized(pattern))
        for path in paths:
            try:
                tasks.extend(_tasks_for(fs, path, config))
            except ValueError as error:
                raise InputError(str(error)) from None
    return _distinct(tasks)


def _distinct(tasks: list[ReadTask]) -> list[ReadTask]:
    """Each file once, however many patterns, links or `..` spellings name it (the first kept);
    a local file is known by its real path, so a link and its target are one file."""
    seen: dict[tuple[str, int | None], ReadTask] = {}
    for task in tasks:
        path = task.path if "://" in task.path else os.path.realpath(task.path)
        seen.setdefault((path, task.shard), task)
    return list(seen.values())
