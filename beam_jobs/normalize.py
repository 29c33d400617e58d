"""Normalization stage: Unicode form, control characters and whitespace."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import apache_beam as beam
from apache_beam.pvalue import DoOutputsTuple, PCollection, TaggedOutput

from beam_jobs.stage import CurationStage, StageCounters
from beam_jobs.tags import DROPPED
from curation.catalog import NORMALIZE
from curation.config import NormalizeConfig
from curation.document import Document, Drop
from curation.text import normalize_text

REASON = "empty_after_normalization"


class _NormalizeFn(beam.DoFn):
    def __init__(self, config: NormalizeConfig):
        self._form = config.unicode_form
        self._counters = StageCounters(NORMALIZE.name)

    def process(self, doc: Document) -> Iterator[Document | TaggedOutput]:
        text = normalize_text(doc.text, self._form)
        if not text:
            self._counters.inc(REASON)
            yield TaggedOutput(DROPPED, Drop.of(doc, NORMALIZE.name, REASON))
        else:
            yield dataclasses.replace(doc, text=text)


class NormalizeText(CurationStage):
    """Normalize every document's text; documents left empty go to the ledger."""

    NAME = NORMALIZE

    def __init__(self, config: NormalizeConfig):
        super().__init__()
        self._config = config

    def expand(self, docs: PCollection[Document]) -> DoOutputsTuple:
        return docs | "Normalize" >> beam.ParDo(_NormalizeFn(self._config)).with_outputs(DROPPED, main="documents")
