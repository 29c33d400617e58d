"""Reading: read tasks spread over workers, records parsed into documents or rejections."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from typing import BinaryIO

import apache_beam as beam
import fsspec
from apache_beam.pvalue import PBegin, PCollection, TaggedOutput

from beam_jobs.identity import UniqueIds
from beam_jobs.stage import StageCounters
from beam_jobs.tags import DROPPED, REJECTED
from curation.config import InputConfig
from curation.document import Document, Rejection
from curation.io.parse import to_document
from curation.io.readers import RawRecord, read_file, read_hf_shard
from curation.io.sources import ReadTask, open_binary, read_task_chunk, write_task_chunks
from curation.progress import ReadProgress


class InputRecordError(RuntimeError):
    """A bad record under `fail_fast`; names the file and position, never the content."""


class _CountingOpener:
    """`open_binary` that remembers the file it opened, so progress can report the bytes read."""

    def __init__(self) -> None:
        self._handle: BinaryIO | None = None
        self.size = 0

    def __call__(self, path: str) -> BinaryIO:
        self._handle = open_binary(path)
        self.size = getattr(self._handle, "size", None) or _file_size(path)
        return self._handle

    def bytes_read(self) -> int:
        try:
            return self._handle.tell() if self._handle and not self._handle.closed else 0
        except (OSError, ValueError):
            return 0


def _file_size(path: str) -> int:
    try:
        fs, local = fsspec.core.url_to_fs(path)
        return int(fs.size(local) or 0)
    except (OSError, ValueError):
        return 0


def _records(task: ReadTask, config: InputConfig, opener=open_binary) -> Iterator[RawRecord]:
    if task.format == "huggingface":
        return read_hf_shard(task.path, config.split, task.shard or 0)
    return read_file(task.path, task.format, opener, required=(config.text_key,))


class _ReadTaskFn(beam.DoFn):
    def __init__(self, config: InputConfig, progress_dir: str | None):
        self._config = config
        self._progress_dir = progress_dir
        self._counters = StageCounters("read")

    def process(self, task: ReadTask) -> Iterator[Document | TaggedOutput]:
        progress = ReadProgress(self._progress_dir, f"{task.path}#{task.shard}") if self._progress_dir else None
        opener = _CountingOpener()
        count = read = 0
        for record in _records(task, self._config, opener):
            count += 1
            if progress and progress.due():
                read = max(read, opener.bytes_read())
                progress.update(count, read)
            result = to_document(record, task, self._config)
            if isinstance(result, Rejection):
                if self._config.fail_fast:
                    raise InputRecordError(f"{result.where}: {result.error}")
                self._counters.inc("rejected_records")
                yield TaggedOutput(REJECTED, result)
            else:
                self._counters.inc("documents")
                yield result
        if progress:
            progress.update(count, opener.size or read, done=True)


class ReadDocuments(beam.PTransform):
    """Read tasks in parallel and give every document an id of its own (`UniqueIds`).

    Outputs `{"parsed": every parsed document, "documents": the same with unique ids,
    "dropped": repeated readings of one record, "rejected": unparseable records}`. The grouping
    by id also spreads documents over the workers, so one big file is filtered by all of them.
    With a `staging_dir`, more than `tasks_in_graph` tasks are written there in chunks and the
    graph carries only the chunk paths, so its size does not grow with the number of files.
    """

    def __init__(
        self,
        tasks: list[ReadTask],
        config: InputConfig,
        progress_dir: str | None = None,
        staging_dir: str | None = None,
        tasks_in_graph: int = 1000,
    ):
        super().__init__()
        self._tasks = tasks
        self._config = config
        self._progress_dir = progress_dir
        self._staging_dir = staging_dir
        self._tasks_in_graph = tasks_in_graph

    def _task_list(self, pbegin):
        if self._staging_dir is None or len(self._tasks) <= self._tasks_in_graph:
            return pbegin | "ListTasks" >> beam.Create(self._tasks)
        chunks = write_task_chunks(self._tasks, posixpath.join(self._staging_dir, "tasks"), self._tasks_in_graph)
        return (
            pbegin
            | "ListTaskChunks" >> beam.Create(chunks)
            | "SpreadChunks" >> beam.Reshuffle()
            | "LoadTasks" >> beam.FlatMap(read_task_chunk)
        )

    def expand(self, pbegin: PBegin) -> dict[str, PCollection]:
        parsed = (
            self._task_list(pbegin)
            | "SpreadTasks" >> beam.Reshuffle()
            | "ReadAndParse"
            >> beam.ParDo(_ReadTaskFn(self._config, self._progress_dir)).with_outputs(REJECTED, main="documents")
        )
        unique = parsed.documents | "UniqueIds" >> UniqueIds()
        return {"parsed": parsed.documents, "documents": unique.documents, DROPPED: unique[DROPPED],
                REJECTED: parsed[REJECTED]}
