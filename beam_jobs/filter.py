"""Filter stage: the configured filter chain applied in one DoFn."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Any

import apache_beam as beam
from apache_beam.pvalue import DoOutputsTuple, PCollection, TaggedOutput

from beam_jobs.stage import CurationStage, StageCounters
from beam_jobs.tags import DROPPED, SIGNALS
from curation.catalog import FILTERS
from curation.document import Document, Drop
from filters import apply_chain, build_chain
from filters.registry import Step


def signal_rows(doc_id: str, signals: list[tuple[int, str, dict[str, Any]]]) -> Iterator[dict]:
    """Rows of `SIGNALS_SCHEMA`: numbers (and booleans) in `value`, strings in `label`."""
    for step, name, measured in signals:
        for signal, value in sorted(measured.items()):
            row = {"id": doc_id, "step": step, "filter": name, "signal": signal, "value": None, "label": None}
            if isinstance(value, bool | int | float) and not (isinstance(value, float) and math.isnan(value)):
                row["value"] = float(value)
            elif value is not None:
                row["label"] = str(value)
            yield row


class _ApplyFiltersFn(beam.DoFn):
    """Builds the chain (and loads its models) once per worker in `setup`, then runs each document
    through it: transformers replace the text, the first filter that says drop sends the document
    to the ledger, and the filters' annotations (the language) land on the document."""

    def __init__(self, steps: Sequence[dict[str, Any]], write_signals: bool):
        # Plain config data travels to the workers; the filters are built there.
        self._steps = [dict(step) if isinstance(step, dict) else step for step in steps]
        self._write_signals = write_signals
        self._chain: list[Step] = []
        self._counters = StageCounters(FILTERS.name)

    def setup(self) -> None:
        self._chain = build_chain(self._steps)
        for step in self._chain:
            step.prepare()

    def process(self, doc: Document) -> Iterator[Document | TaggedOutput]:
        outcome = apply_chain(self._chain, doc)
        if self._write_signals:
            for row in signal_rows(doc.id, outcome.signals):
                yield TaggedOutput(SIGNALS, row)
        if outcome.kept:
            assert isinstance(outcome.doc, Document), "a Document leaves the chain a Document"
            yield outcome.doc
            return
        assert outcome.stage is not None and outcome.reason is not None, "a dropped outcome names its step"
        self._counters.inc(f"{outcome.stage}/{outcome.reason}")
        # The ledger gets the document as it entered the stage (its text before any transformer).
        drop = Drop.of(doc, outcome.stage, outcome.reason, outcome.detail, outcome.step)
        yield TaggedOutput(DROPPED, drop)


class ApplyFilters(CurationStage):
    """Apply a filter chain (`FiltersConfig.steps`) to every document.

    Main output `documents`: the kept documents (text as the transformers left it, language set
    by the language filter). Tagged output `DROPPED`: one `Drop` per removed document, with the
    filter's name as stage, its step index, its reason, and a short measured value as detail; its
    text is the text the document entered the stage with. With `write_signals`, tagged output
    `SIGNALS`: rows of `SIGNALS_SCHEMA` for every step each document went through. One `Metrics`
    counter per filter and reason: namespace `filters`, name `<filter>/<reason>`.
    """

    NAME = FILTERS

    def __init__(self, steps: Sequence[dict[str, Any]], write_signals: bool = False):
        super().__init__()
        build_chain(steps)  # a bad step fails here, at graph construction, not on a worker
        self._steps = list(steps)
        self._write_signals = write_signals
        self.SIDE_OUTPUTS = (SIGNALS,) if write_signals else ()

    def expand(self, docs: PCollection[Document]) -> DoOutputsTuple:
        fn = _ApplyFiltersFn(self._steps, self._write_signals)
        return docs | "ApplyFilterChain" >> beam.ParDo(fn).with_outputs(DROPPED, *self.SIDE_OUTPUTS, main="documents")
