"""Normalization stage: Unicode form, control characters and whitespace."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import apache_beam as beam
from apache_beam.metrics import Metrics
from apache_beam.pvalue import TaggedOutput

from beam_jobs.tags import DROPPED
from curation.catalog import NORMALIZE
from curation.config import NormalizeConfig
from curation.document import Document, Drop
from curation.text import normalize_text

STAGE = NORMALIZE.name


class _NormalizeFn(beam.DoFn):
    def __init__(self, config: NormalizeConfig):
        self._form = config.unicode_form
        self._emptied = Metrics.counter(STAGE, "empty_after_normalization")

    def process(self, doc: Document) -> Iterator[Document | TaggedOutput]:
        text = normalize_text(doc.text, self._form)
        if not text:
            self._emptied.inc()
            yield TaggedOutput(DROPPED, Drop.of(doc, STAGE, "empty_after_normalization"))
        else:
            yield dataclasses.replace(doc, text=text)


class Normalize(beam.PTransform):
    """Normalize every document's text; documents left empty go to the ledger."""

    def __init__(self, config: NormalizeConfig):
        super().__init__()
        self._config = config

    def expand(self, docs):
        return docs | "NormalizeText" >> beam.ParDo(_NormalizeFn(self._config)).with_outputs(DROPPED, main="documents")
