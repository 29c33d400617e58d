"""Filter stage: the configured filter chain applied in one DoFn."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import apache_beam as beam
from apache_beam.pvalue import TaggedOutput

from beam_jobs.stage import CurationStage, StageCounters
from beam_jobs.tags import DROPPED
from curation.catalog import FILTERS
from curation.document import Document, Drop
from filters import apply_chain, build_chain


class _ApplyFiltersFn(beam.DoFn):
    """Builds the chain (and loads its models) once per worker in `setup`, then runs each document
    through it: transformers replace the text, the first filter that says drop sends the document
    to the ledger, and the language filter's signals land on `Document.language`."""

    def __init__(self, steps: Sequence[dict[str, Any]]):
        # Plain config data travels to the workers; the filters are built there.
        self._steps = [dict(step) if isinstance(step, dict) else step for step in steps]
        self._chain: list = []
        self._counters = StageCounters(FILTERS.name)

    def setup(self) -> None:
        self._chain = build_chain(self._steps)
        for step in self._chain:
            step.prepare()

    def process(self, doc: Document) -> Iterator[Document | TaggedOutput]:
        outcome = apply_chain(self._chain, doc)
        if outcome.kept:
            yield outcome.doc
            return
        self._counters.inc(f"{outcome.stage}/{outcome.reason}")
        # The ledger gets the document as it entered the stage (its text before any transformer).
        yield TaggedOutput(DROPPED, Drop.of(doc, stage=outcome.stage, reason=outcome.reason, detail=outcome.detail))


class ApplyFilters(CurationStage):
    """Apply a filter chain (`FiltersConfig.steps`) to every document.

    Main output `documents`: the kept documents (text as the transformers left it, language set
    by the language filter). Tagged output `DROPPED`: one `Drop` per removed document, with the
    filter's name as stage, its reason, and a short measured value as detail; its text is the
    text the document entered the stage with. One `Metrics` counter per filter and reason:
    namespace `filters`, name `<filter>/<reason>`.
    """

    NAME = FILTERS

    def __init__(self, steps: Sequence[dict[str, Any]]):
        super().__init__()
        build_chain(steps)  # a bad step fails here, at graph construction, not on a worker
        self._steps = list(steps)

    def expand(self, docs):
        return docs | "ApplyFilterChain" >> beam.ParDo(_ApplyFiltersFn(self._steps)).with_outputs(
            DROPPED, main="documents"
        )
