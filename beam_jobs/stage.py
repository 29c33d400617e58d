"""The contract every curation stage keeps.

A stage is a verb-named `CurationStage` (a `PTransform` over `Document`s) with a `NAME` from
`curation.catalog`. Its `expand` returns a `DoOutputsTuple` with main output `documents` and
the tagged outputs `DROPPED` (one `Drop` per removed document, with the text the document
entered the stage with) and those it lists in `SIDE_OUTPUTS`. Counters come from
`StageCounters` under the stage's name, batches from `batched`. Whether the ledger keeps the
dropped documents' text (`output.ledger_text`) is decided once, by the ledger writer.
"""

from __future__ import annotations

from typing import ClassVar

import apache_beam as beam
from apache_beam.metrics import Metrics
from apache_beam.metrics.metricbase import Counter, Distribution

from curation.catalog import Stage


class StageCounters:
    """`Metrics` counters and distributions in one namespace, created on first use (names may be
    open-ended, such as one per entity type or per filter reason)."""

    def __init__(self, namespace: str):
        self._namespace = namespace
        self._counters: dict[str, Counter] = {}
        self._distributions: dict[str, Distribution] = {}

    def inc(self, name: str, value: int = 1) -> None:
        counter = self._counters.get(name)
        if counter is None:
            counter = self._counters[name] = Metrics.counter(self._namespace, name)
        counter.inc(value)

    def update(self, name: str, value: int) -> None:
        """Add `value` to the distribution `name` (min, max, mean in the run's metrics)."""
        distribution = self._distributions.get(name)
        if distribution is None:
            distribution = self._distributions[name] = Metrics.distribution(self._namespace, name)
        distribution.update(value)


class CurationStage(beam.PTransform):
    """A stage of the pipeline: documents in; `documents`, `DROPPED` and `SIDE_OUTPUTS` out."""

    NAME: ClassVar[Stage]
    SIDE_OUTPUTS: tuple[str, ...] = ()
    """Tagged outputs besides `documents` and `DROPPED`, e.g. `DUPLICATES` (a stage whose outputs depend
on its config sets them on the instance)."""


def batched(label: str, min_batch_size: int, max_batch_size: int) -> beam.PTransform:
    """Documents to lists of documents for a batch-at-a-time step (the model or kernel calls)."""
    return label >> beam.BatchElements(min_batch_size=min_batch_size, max_batch_size=max_batch_size)
