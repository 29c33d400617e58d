"""Counting the documents that enter each stage, for the progress display of a running job."""

from __future__ import annotations

from collections.abc import Iterator

import apache_beam as beam
from apache_beam.metrics import Metrics

from curation.document import Document
from curation.progress import StageProgress

PROGRESS_NAMESPACE = "progress"
"""The counters' namespace: `progress/<stage>` is the documents that entered the stage."""
PROGRESS_LABEL = "Progress"
"""The top-level label of the counting steps (left out of the time per stage)."""


class _CountEntering(beam.DoFn):
    def __init__(self, stage: str, progress_dir: str | None):
        self._stage = stage
        self._progress_dir = progress_dir
        self._counter = Metrics.counter(PROGRESS_NAMESPACE, stage)
        self._file: StageProgress | None = None

    def setup(self) -> None:
        if self._progress_dir:
            self._file = StageProgress(self._progress_dir, self._stage)

    def process(self, document: Document) -> Iterator[Document]:
        self._counter.inc()
        if self._file:
            self._file.add()
        yield document

    def finish_bundle(self) -> None:
        if self._file:
            self._file.flush()


def count_entering(stage: str, progress_dir: str | None) -> beam.PTransform:
    """Pass documents through, counting them under `progress/<stage>` (and, on this machine, in
    `progress_dir`, which the launcher reads while the runner has not returned)."""
    return f"{PROGRESS_LABEL}/{stage}" >> beam.ParDo(_CountEntering(stage, progress_dir))
